/** Heldar's entry point ({@link io.heldar.core.Heldar}) and exception root. */
package io.heldar.core;
