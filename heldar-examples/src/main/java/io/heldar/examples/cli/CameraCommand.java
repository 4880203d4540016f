package io.heldar.examples.cli;

import io.heldar.core.HeldarClient;
import io.heldar.core.model.Camera;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar camera}: register and list cameras. */
@Command(
    name = "camera",
    mixinStandardHelpOptions = true,
    description = "Register and list cameras.",
    subcommands = {CameraCommand.Add.class, CameraCommand.ListCameras.class})
final class CameraCommand {

  /** {@code heldar camera add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Register a camera (or change the name and source of a registered one).")
  static final class Add implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(
        names = "--id",
        required = true,
        paramLabel = "ID",
        description = "Camera id: letters, digits, _ and -, up to 64.")
    String id;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "Human-readable name (default: the id).")
    String name;

    @Option(
        names = "--source",
        paramLabel = "URL",
        description = "Snapshot source: rtsp://…, http(s)://… or a file path.")
    String source;

    @Option(
        names = "--edge",
        paramLabel = "URL-TEMPLATE",
        description = "Where gaps are healed from: the camera's own storage by a playback URL"
            + " template (http(s) is fetched, rtsp and others copied by ffmpeg; placeholders"
            + " {camera} {id} {start} {end} {start:PATTERN} {seconds}); \"\" removes it.")
    String edge;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return Cli.guard(spec, () -> {
        Optional<String> edgeUrl = Optional.ofNullable(edge).filter(e -> !e.isBlank());
        edgeUrl.ifPresent(io.heldar.ffmpeg.EdgeSources::check);
        Camera wanted = new Camera(
            id,
            name != null ? name : id,
            Optional.ofNullable(source),
            Instant.now(),
            Optional.empty(),
            edgeUrl);
        try (JdbiHeldarStore s = store.open()) {
          HeldarClient client = HeldarClient.of(s, Clock.systemUTC());
          Optional<Camera> existing = client.camera(id);
          if (existing.isEmpty()) {
            client.registerCamera(wanted);
            out.println("added camera " + id);
          } else {
            Camera c = existing.get();
            // Keeps what is not being changed, the recorder name (its files' layout) included.
            Camera updated = new Camera(
                id,
                name != null ? name : c.name(),
                source != null ? Optional.of(source) : c.sourceUrl(),
                c.createdAt(),
                c.recorderName(),
                edge != null ? edgeUrl : c.edgeUrl());
            client.updateCamera(updated);
            out.println("updated camera " + id);
          }
        }
        return 0;
      });
    }
  }

  /** {@code heldar camera list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered cameras.")
  static final class ListCameras implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    OutputFormat format;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return Cli.guard(spec, () -> {
        boolean json = format.json();
        try (JdbiHeldarStore s = store.openExisting()) {
          List<Camera> cameras = HeldarClient.of(s, Clock.systemUTC()).cameras();
          if (json) {
            out.println(Json.write(cameras.stream().map(Json::camera).toList()));
          } else {
            for (Camera c : cameras) {
              out.printf(
                  "%-20s %-24s %-24s %s%s%n",
                  c.id(),
                  c.name(),
                  c.recorderName().orElse("-"),
                  c.sourceUrl()
                      .map(io.heldar.core.snapshot.SnapshotSources::redact)
                      .orElse("-"),
                  c.edgeUrl()
                      .map(e -> " edge " + io.heldar.core.snapshot.SnapshotSources.redact(e))
                      .orElse(""));
            }
          }
        }
        out.flush();
        return 0;
      });
    }
  }
}
