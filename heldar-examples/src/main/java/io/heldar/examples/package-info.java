/** The {@code heldar} command-line tool and an embedding example. */
package io.heldar.examples;
