/** Gap detection: holes in each camera's recording. */
package io.heldar.core.gap;
