package io.heldar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The examples use the other modules as a host would: through their public API, never an {@code internal} package. */
class PublicApiOnlyTest {
  private static final Pattern INTERNAL =
      Pattern.compile("io\\.heldar\\.(core|store|ffmpeg)(\\.[a-z]+)*\\.internal\\b");

  @Test
  void noInternalPackageOfAnotherModuleIsUsed() throws IOException {
    List<String> offenders;
    try (Stream<Path> files = Files.walk(Path.of("src"))) {
      offenders = files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> {
            try {
              return INTERNAL.matcher(Files.readString(p)).find();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .map(Path::toString)
          .sorted()
          .toList();
    }
    assertThat(offenders).as("files using another module's internal packages").isEmpty();
  }
}
