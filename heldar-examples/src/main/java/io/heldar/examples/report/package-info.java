/** Pictures and reports of a camera's timeline (SVG, HTML). */
package io.heldar.examples.report;
