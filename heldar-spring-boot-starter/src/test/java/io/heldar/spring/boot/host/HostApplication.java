package io.heldar.spring.boot.host;

import io.heldar.core.Heldar;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.timeline.Coverage;
import io.heldar.core.timeline.Timeline;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application as a user writes one: the starter on the classpath, a controller of its own that
 * returns Heldar's records, and a probe of its own that notes when it is first called (so the test
 * can tell whether Heldar's first scan ran before the web server was serving).
 */
@SpringBootApplication
public class HostApplication {
  /** What happened, in order: "web server", "probe". */
  public static final List<String> ORDER = new CopyOnWriteArrayList<>();

  /** The application's own probe: the native one, noting each call. */
  @Bean
  MediaProbe noisyProbe() {
    MediaProbe nativeProbe = MediaProbes.nativeMp4();
    return file -> {
      ORDER.add("probe");
      return nativeProbe.probe(file);
    };
  }

  @Bean
  ApplicationListener<WebServerInitializedEvent> serving() {
    return e -> ORDER.add("web server");
  }

  /** A controller of the host's that returns a Heldar record as it is. */
  @RestController
  static class Footage {
    private final Heldar heldar;

    Footage(Heldar heldar) {
      this.heldar = heldar;
    }

    @GetMapping("/mine/{camera}/timeline")
    Coverage timeline(
        @PathVariable String camera, @RequestParam Instant from, @RequestParam Instant to) {
      return heldar.client().timeline().coverage(camera, from, to, Timeline.DEFAULT_TOLERANCE);
    }
  }
}
