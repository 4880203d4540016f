/** Retention: what to keep, what to delete and why, done safely. */
package io.heldar.core.retention;
