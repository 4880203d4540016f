/**
 * The {@code heldar} command-line tool: {@link io.heldar.examples.cli.HeldarCli} is the entry point
 * and lists the commands ({@code index}, {@code run}, {@code timeline}, {@code retention}, {@code
 * bench}, …), one class each. Flags that set a library value take their defaults from the
 * library's constants ({@code LibraryDefaults}).
 */
package io.heldar.examples.cli;
