package io.heldar.ffmpeg;

import io.heldar.core.heal.EdgeFetch;
import io.heldar.core.heal.EdgeSource;
import io.heldar.core.model.Camera;
import io.heldar.ffmpeg.internal.EdgeUrlTemplate;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Edge sources by URL template, whatever the scheme: {@code http(s)://} templates are fetched by
 * {@link HttpEdgeSource}, any other ({@code rtsp://}, {@code file:}) copied by {@link
 * FfmpegEdgeSource}.
 *
 * <p>{@link #fromCameras} reads each camera's template from the camera itself ({@link
 * Camera#edgeUrl()}, set by {@code heldar camera add --edge}), so a camera registered or changed
 * while Heldar runs is healed from its next round.
 */
public final class EdgeSources {
  private EdgeSources() {}

  /**
   * Checks a template without making a source.
   *
   * @throws IllegalArgumentException naming what is wrong (an unknown placeholder, a date pattern
   *     that does not parse, no scheme), the template's credentials hidden
   */
  public static void check(String template) {
    EdgeUrlTemplate.check(template);
  }

  /**
   * The source of a template: HTTP for {@code http://} and {@code https://}, ffmpeg (found when it
   * is first needed, or {@code ffmpeg} when given) for any other.
   *
   * @throws IllegalArgumentException when the template is not one (unknown placeholder, no scheme)
   */
  public static EdgeSource forTemplate(String template, Optional<Path> ffmpeg) {
    EdgeUrlTemplate.check(template);
    String lower = template.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return HttpEdgeSource.of(template);
    }
    return ffmpeg
        .map(f -> FfmpegEdgeSource.of(template, f))
        .orElseGet(() -> FfmpegEdgeSource.of(template));
  }

  /**
   * Each camera's edge: the template in {@code overrides} for its id, else its own {@link
   * Camera#edgeUrl()}, else {@code fallback}; a camera with none is not covered (never healed).
   * Sources are made once per template; a camera whose stored template is invalid is not covered
   * and fetching it says why.
   */
  public static EdgeSource fromCameras(
      Map<String, String> overrides, Optional<String> fallback, Optional<Path> ffmpeg) {
    Map<String, String> byId = Map.copyOf(overrides);
    byId.values().forEach(EdgeUrlTemplate::check);
    fallback.ifPresent(EdgeUrlTemplate::check);
    return new ByCamera(byId, fallback, ffmpeg);
  }

  private static final class ByCamera implements EdgeSource {
    private final Map<String, String> overrides;
    private final Optional<String> fallback;
    private final Optional<Path> ffmpeg;
    private final Map<String, Supplier<EdgeSource>> made = new ConcurrentHashMap<>();

    ByCamera(Map<String, String> overrides, Optional<String> fallback, Optional<Path> ffmpeg) {
      this.overrides = overrides;
      this.fallback = fallback;
      this.ffmpeg = ffmpeg;
    }

    private Optional<String> template(Camera c) {
      String t = overrides.get(c.id());
      if (t != null) {
        return Optional.of(t);
      }
      return c.edgeUrl().or(() -> fallback);
    }

    private EdgeSource source(String template) {
      if (made.size() > 10_000) {
        made.clear(); // templates without {camera}, one per camera: bounded all the same
      }
      return made.computeIfAbsent(template, t -> {
            try {
              EdgeSource s = forTemplate(t, ffmpeg);
              return () -> s;
            } catch (RuntimeException e) {
              String why = e.getMessage();
              return () -> (request, sink) -> new EdgeFetch.Unreachable(why);
            }
          })
          .get();
    }

    @Override
    public boolean covers(Camera camera) {
      return template(camera).isPresent();
    }

    @Override
    public String describe(Camera camera) {
      return template(camera).map(EdgeUrlTemplate::origin).orElse("none");
    }

    @Override
    public EdgeFetch fetch(Request request, Path sink) throws InterruptedException {
      Optional<String> t = template(request.camera());
      if (t.isEmpty()) {
        return new EdgeFetch.Unreachable("camera " + request.camera().id() + " has no edge URL");
      }
      return source(t.get()).fetch(request, sink);
    }

    @Override
    public String toString() {
      return "EdgeSources.fromCameras["
          + overrides.size()
          + " override(s)"
          + fallback.map(f -> ", fallback " + EdgeUrlTemplate.origin(f)).orElse("")
          + "]";
    }
  }
}
