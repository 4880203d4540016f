package io.heldar.examples.cli;

import io.heldar.core.clip.ClipManifest;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heldar keygen}: an Ed25519 key pair for signing clip manifests. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = "Make an Ed25519 key pair for signing clip manifests: FILE (private and public, "
        + "owner-only) and FILE.pub (public).")
final class KeygenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "Where the key pair goes (new).")
  Path file;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return Cli.guard(spec, () -> {
      if (Files.exists(file)) {
        throw new IllegalArgumentException(file + " exists; a key is never overwritten");
      }
      KeyPair key = ClipManifest.generateKey();
      String pem = ClipManifest.toPem(key);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
      String publicPem = pem.substring(pem.indexOf("-----BEGIN PUBLIC KEY-----"));
      Path pub = file.resolveSibling(file.getFileName() + ".pub");
      Files.writeString(pub, publicPem, StandardCharsets.US_ASCII);
      out.println("key pair: " + file + " (keep it secret), public key: " + pub);
      out.flush();
      return 0;
    });
  }
}
