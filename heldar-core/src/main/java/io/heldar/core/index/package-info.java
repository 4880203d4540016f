/** Segment indexing: scanning camera directories into the timeline index. */
package io.heldar.core.index;
