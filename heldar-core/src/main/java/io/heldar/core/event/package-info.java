/** Host listeners and the event publisher the engines raise events through. */
package io.heldar.core.event;
