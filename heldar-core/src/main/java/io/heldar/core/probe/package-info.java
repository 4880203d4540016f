/** The media probe SPI: what a segment file contains. */
package io.heldar.core.probe;
