package io.heldar.core.tier;

import io.heldar.core.model.RelativePaths;
import io.heldar.core.model.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The ordered storage tiers of a camera's footage: the first is the recordings root, where
 * recorders write and the indexer finds new files; footage moves from each tier to the next by its
 * rules, and leaves the last by retention. Every reader finds a segment's file through {@link
 * #resolve}, so where a segment lives never changes what it shows.
 *
 * <p>A segment on the first tier has no stored tier ({@link Segment#tier()} is empty): renaming the
 * first tier changes nothing stored. Further tiers are stored by name; removing one from the
 * configuration while footage lives there makes that footage unreachable ({@link
 * UnknownTierException}), never lost.
 */
public final class StorageTiers {
  /** The name of the first tier when none is given. */
  public static final String DEFAULT_PRIMARY_NAME = "hot";

  /**
   * The file in each further tier's root that says it is that tier. Heldar writes it the first time
   * it uses an empty tier; when footage lives on a tier and the marker is gone, the tier is taken to
   * be unmounted (an empty mount point) and nothing there is moved, deleted or marked lost.
   */
  public static final String MARKER = ".heldar-tier";

  private final List<StorageTier> tiers;

  private StorageTiers(List<StorageTier> tiers) {
    this.tiers = List.copyOf(tiers);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < this.tiers.size(); i++) {
      StorageTier t = this.tiers.get(i);
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("two storage tiers are named " + t.name());
      }
      for (int j = 0; j < i; j++) {
        Path other = this.tiers.get(j).root();
        if (t.root().startsWith(other) || other.startsWith(t.root())) {
          throw new IllegalArgumentException(
              "storage tiers " + this.tiers.get(j).name() + " ("
                  + other + ") and " + t.name() + " (" + t.root()
                  + ") overlap: each tier needs a root of its own, outside the others");
        }
      }
    }
    StorageTier last = this.tiers.get(this.tiers.size() - 1);
    if (last.hasMoveRules()) {
      throw new IllegalArgumentException("storage tier " + last.name()
          + " is the last one and has move rules: there is no tier to move to (retention deletes"
          + " from the last tier)");
    }
  }

  /** One tier: the recordings root, named {@value #DEFAULT_PRIMARY_NAME}, with nothing to move. */
  public static StorageTiers of(Path recordingsRoot) {
    return new StorageTiers(
        List.of(StorageTier.builder(DEFAULT_PRIMARY_NAME, recordingsRoot).build()));
  }

  /** {@code primary} (the recordings root) then {@code further}, in the order footage moves. */
  public static StorageTiers of(StorageTier primary, StorageTier... further) {
    List<StorageTier> all = new ArrayList<>();
    all.add(Objects.requireNonNull(primary, "primary"));
    for (StorageTier t : further) {
      all.add(Objects.requireNonNull(t, "tier"));
    }
    return new StorageTiers(all);
  }

  /** The tiers in order (the first is the recordings root). */
  public List<StorageTier> all() {
    return tiers;
  }

  /** The first tier: the recordings root. */
  public StorageTier primary() {
    return tiers.get(0);
  }

  /** Whether there is more than one tier (so anything ever moves). */
  public boolean hasFurtherTiers() {
    return tiers.size() > 1;
  }

  /** The tier after {@code tier}, if any. */
  public Optional<StorageTier> next(StorageTier tier) {
    int i = tiers.indexOf(tier);
    return i >= 0 && i + 1 < tiers.size() ? Optional.of(tiers.get(i + 1)) : Optional.empty();
  }

  /** The tier named {@code name}, if configured. */
  public Optional<StorageTier> named(String name) {
    return tiers.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** What {@code segments.tier} holds for {@code tier}: empty for the first. */
  public Optional<String> stored(StorageTier tier) {
    return tier == primary() ? Optional.empty() : Optional.of(tier.name());
  }

  /**
   * The tier a segment lives on.
   *
   * @throws UnknownTierException when the index names a tier that is not configured
   */
  public StorageTier tierOf(Segment s) {
    if (s.tier().isEmpty()) {
      return primary();
    }
    String name = s.tier().get();
    for (int i = 1; i < tiers.size(); i++) {
      if (tiers.get(i).name().equals(name)) {
        return tiers.get(i);
      }
    }
    throw new UnknownTierException(name, s.path());
  }

  /**
   * The segment's file: its tier's root plus its path, which never leaves the root.
   *
   * @throws UnknownTierException when the index names a tier that is not configured
   */
  public Path resolve(Segment s) {
    return resolve(tierOf(s), s.path());
  }

  /** {@code path} under {@code tier}'s root, refusing a path that would leave the root. */
  public static Path resolve(StorageTier tier, String path) {
    RelativePaths.requireRelative(path);
    Path file = tier.root().resolve(path).normalize();
    if (!file.startsWith(tier.root())) {
      throw new IllegalArgumentException(
          "path " + path + " leaves the root of tier " + tier.name());
    }
    return file;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorageTiers other && other.tiers.equals(tiers);
  }

  @Override
  public int hashCode() {
    return tiers.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (StorageTier t : tiers) {
      sb.append(sb.length() == 0 ? "" : " -> ").append(t.name()).append('=').append(t.root());
    }
    return sb.toString();
  }
}
