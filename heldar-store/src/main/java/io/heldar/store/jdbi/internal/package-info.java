/** The SQL store implementation shared by every dialect; no compatibility promise. */
package io.heldar.store.jdbi.internal;
