/**
 * {@link io.heldar.examples.http.JettyApiServer}: the HTTP API servlet of {@code heldar-http} served
 * on embedded Jetty with timeouts, bounded threads and connections, header limits and JSON errors
 * ({@code heldar run --http}).
 */
package io.heldar.examples.http;
