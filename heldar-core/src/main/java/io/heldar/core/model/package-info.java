/** Heldar's values: cameras, segments, gaps, snapshots, schedules, media info, events. */
package io.heldar.core.model;
