/**
 * Heldar's read-only HTTP API as a Jakarta Servlet (6.0), for any servlet container: start from
 * {@link io.heldar.http.HeldarApiServlet}, configured by {@link io.heldar.http.HttpApiOptions}.
 * The pieces it is made of are public for hosts that serve their own endpoints: {@link
 * io.heldar.http.ApiJson} (the JSON shapes, shared with the CLI's {@code --format json}), {@link
 * io.heldar.http.PrometheusText} (metrics in the Prometheus text format) and {@link
 * io.heldar.http.HealthReport} (the health rule). {@code heldar run --http} serves the servlet on
 * embedded Jetty; see docs/operations.md.
 */
package io.heldar.http;
