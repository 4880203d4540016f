package io.heldar.examples.cli;

import io.heldar.core.clip.ClipManifest;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heldar verify-clip}: a clip against its manifest. */
@Command(
    name = "verify-clip",
    mixinStandardHelpOptions = true,
    description = "Recompute a clip's hashes and check its manifest's signature; exit 0 when "
        + "everything matches, 1 with each difference named.")
final class VerifyClipCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CLIP", description = "The clip (part 1 of a part set).")
  Path clip;

  @Parameters(index = "1", paramLabel = "MANIFEST", description = "Its manifest.")
  Path manifest;

  @Option(
      names = "--public-key",
      paramLabel = "FILE",
      description = "Require the signature to be this key's (PEM, PUBLIC KEY block).")
  Path publicKey;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description = "Also hash the source segments still under this recordings root; repeat it with"
          + " each further storage tier's root, in order, to find segments moved there.")
  List<Path> roots = new java.util.ArrayList<>();

  @Mixin
  OutputFormat format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return Cli.guard(spec, () -> {
      boolean json = format.json();
      ClipManifest m = ClipManifest.parse(Files.readString(manifest, StandardCharsets.UTF_8));
      Optional<PublicKey> trusted = publicKey == null
          ? Optional.empty()
          : Optional.of(
              ClipManifest.publicKeyFromPem(Files.readString(publicKey, StandardCharsets.UTF_8)));
      ClipManifest.Verification v = m.verify(clip, trusted, roots);
      if (json) {
        out.println(Json.write(Json.object(
            "ok",
            v.ok(),
            "signed",
            v.signed(),
            "signer",
            v.signer().orElse(null),
            "differences",
            v.differences())));
      } else {
        if (v.ok()) {
          out.println("OK: " + clip + " matches " + manifest
              + (v.signed()
                  ? " (signature holds, key " + v.signer().orElseThrow() + ")"
                  : " (not signed)"));
        } else {
          out.println("DIFFERS: " + clip + " against " + manifest + ":");
          v.differences().forEach(d -> out.println("  " + d));
        }
      }
      out.flush();
      return v.ok() ? 0 : 1;
    });
  }
}
