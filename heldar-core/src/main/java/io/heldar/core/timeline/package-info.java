/** Timeline queries: segments of a range, coverage and gaps, per-day summaries, nearest snapshot. */
package io.heldar.core.timeline;
