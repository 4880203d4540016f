package io.heldar.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 spoken over a plain socket: what a real client library would refuse to send. */
final class RawHttp {
  private RawHttp() {}

  /** Sends {@code request} as is and reads until the server closes (at most 5 s of silence). */
  static String exchange(InetSocketAddress to, String request) {
    return exchange(to, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  static String exchange(InetSocketAddress to, byte[] request) {
    try (Socket s = new Socket(to.getAddress(), to.getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      return readUntilClosed(s.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the server sent until it closed, or whatever came before 5 s of silence. */
  static String readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // what arrived so far
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  /** The response is the API's JSON error: a JSON body with "error", no HTML, no Java names. */
  static void assertJsonError(String response, String label) {
    int split = response.indexOf("\r\n\r\n");
    assertThat(split).as(label + ": a whole response: " + response).isPositive();
    String head = response.substring(0, split).toLowerCase(java.util.Locale.ROOT);
    String body = response.substring(split + 4);
    assertThat(head).as(label).contains("content-type: application/json");
    assertThat(body).as(label).contains("\"error\"");
    assertThat(body)
        .as(label + ": no HTML, no Java names")
        .doesNotContain("<html")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }
}
