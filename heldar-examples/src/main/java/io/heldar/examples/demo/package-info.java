/** The {@code heldar demo}: synthetic cameras, the whole runtime, an HTML report. */
package io.heldar.examples.demo;
