/** Scheduling, supervision and health of Heldar's periodic work. */
package io.heldar.core.runtime;
