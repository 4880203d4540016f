/** Implementation of the PostgreSQL store; no compatibility promise. */
package io.heldar.store.postgres.internal;
