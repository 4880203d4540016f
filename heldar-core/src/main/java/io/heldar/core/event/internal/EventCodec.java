package io.heldar.core.event.internal;

import io.heldar.core.event.TypedEvent;
import io.heldar.core.event.TypedEvent.CameraIdConflict;
import io.heldar.core.event.TypedEvent.CameraNameRejected;
import io.heldar.core.event.TypedEvent.CameraRegistered;
import io.heldar.core.event.TypedEvent.CameraScanFailed;
import io.heldar.core.event.TypedEvent.ClockSkew;
import io.heldar.core.event.TypedEvent.GapFilled;
import io.heldar.core.event.TypedEvent.GapHealFailed;
import io.heldar.core.event.TypedEvent.GapHealed;
import io.heldar.core.event.TypedEvent.GapOpened;
import io.heldar.core.event.TypedEvent.LeaseAcquired;
import io.heldar.core.event.TypedEvent.LeaseLost;
import io.heldar.core.event.TypedEvent.RetentionFailed;
import io.heldar.core.event.TypedEvent.RetentionGuaranteeAtRisk;
import io.heldar.core.event.TypedEvent.RetentionRefused;
import io.heldar.core.event.TypedEvent.SegmentChanged;
import io.heldar.core.event.TypedEvent.SegmentMissing;
import io.heldar.core.event.TypedEvent.SegmentOverlap;
import io.heldar.core.event.TypedEvent.SegmentRestored;
import io.heldar.core.event.TypedEvent.SegmentUnreadable;
import io.heldar.core.event.TypedEvent.SnapshotFailed;
import io.heldar.core.event.TypedEvent.SnapshotFileMissing;
import io.heldar.core.event.TypedEvent.SnapshotMissed;
import io.heldar.core.event.TypedEvent.StorageNodeCaughtUp;
import io.heldar.core.event.TypedEvent.StorageNodeDown;
import io.heldar.core.event.TypedEvent.StorageTierAvailable;
import io.heldar.core.event.TypedEvent.StorageTierUnavailable;
import io.heldar.core.event.TypedEvent.StorageUnavailable;
import io.heldar.core.event.TypedEvent.TaskFailed;
import io.heldar.core.event.TypedEvent.TierMoveFailed;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.Severity;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one table of event payload keys, and the codec both directions read it from: a typed
 * event's stored payload is its record components in order, each under the key the table gives
 * it; decoding reads the same keys back into the record. Each key is spelled once, here.
 *
 * <p>Component types and their JSON: {@code String}, {@code long} (a number), {@code double} (a
 * number), {@code boolean}, {@code Instant} (ISO-8601 text), and {@code Optional} / {@code
 * OptionalLong} of them (the key is left out when empty). A key written {@code "cause=camera"} is
 * left out when its value is {@code camera}, and read as {@code camera} when absent.
 *
 * <p>Decoding never throws. {@link #decode} reads leniently (keys a later version added are
 * ignored); {@link #decodeExactly}, what a stored event carries, never loses what was stored: a
 * payload the record cannot hold exactly decodes to {@link TypedEvent.Unrecognised}, which keeps it
 * as stored.
 */
public final class EventCodec {
  private static final Map<Class<?>, Shape> BY_TYPE = new HashMap<>();
  private static final Map<String, Shape> BY_KIND = new HashMap<>();

  static {
    add(
        GapOpened.class,
        EventKinds.RECORDING_GAP,
        "gap_id",
        "gap_seconds",
        "prev_end",
        "next_start");
    add(
        GapFilled.class,
        EventKinds.RECORDING_GAP_FILLED,
        "gap_id",
        "gap_seconds",
        "prev_end",
        "next_start");
    add(
        SegmentOverlap.class,
        EventKinds.SEGMENT_OVERLAP,
        "path",
        "overlaps_path",
        "overlap_seconds",
        "start",
        "previous_end");
    add(
        SegmentChanged.class,
        EventKinds.SEGMENT_CHANGED,
        "path",
        "old_end",
        "old_size_bytes",
        "end",
        "size_bytes");
    add(
        SegmentUnreadable.class,
        EventKinds.SEGMENT_UNREADABLE,
        "path",
        "file",
        "reason",
        "size_bytes");
    add(SegmentMissing.class, EventKinds.SEGMENT_MISSING, "path", "file", "start", "end");
    add(SegmentRestored.class, EventKinds.SEGMENT_RESTORED, "path", "start", "end");
    add(
        StorageUnavailable.class,
        EventKinds.STORAGE_UNAVAILABLE,
        "reason",
        "vanished",
        "indexed",
        "examples",
        "action");
    add(CameraRegistered.class, EventKinds.CAMERA_REGISTERED, "camera_id", "recorder_name");
    add(CameraIdConflict.class, EventKinds.CAMERA_ID_CONFLICT, "camera_id", "recorder_names");
    add(CameraNameRejected.class, EventKinds.CAMERA_NAME_REJECTED, "recorder_name", "reason");
    add(CameraScanFailed.class, EventKinds.CAMERA_SCAN_FAILED, "root", "reason");
    add(
        SnapshotFailed.class,
        EventKinds.SNAPSHOT_FAILED,
        "schedule_id",
        "slot",
        "reason",
        "timed_out",
        "cause=" + SnapshotFailed.CAUSE_CAMERA);
    add(
        SnapshotFileMissing.class,
        EventKinds.SNAPSHOT_FILE_MISSING,
        "count",
        "first_path",
        "reason");
    add(RetentionRefused.class, EventKinds.RETENTION_REFUSED, "reason", "forced");
    add(
        RetentionGuaranteeAtRisk.class,
        EventKinds.RETENTION_GUARANTEE_AT_RISK,
        "keeps_days",
        "holds_days",
        "breaks_at",
        "bytes_per_day",
        "root");
    add(RetentionFailed.class, EventKinds.RETENTION_FAILED, "table", "path", "reason");
    add(TierMoveFailed.class, EventKinds.TIER_MOVE_FAILED, "path", "from", "to", "reason");
    add(
        GapHealed.class,
        EventKinds.GAP_HEALED,
        "from",
        "to",
        "seconds",
        "partial",
        "path",
        "source");
    add(
        GapHealFailed.class,
        EventKinds.GAP_HEAL_FAILED,
        "from",
        "to",
        "code",
        "reason",
        "tries",
        "given_up");
    add(
        StorageTierUnavailable.class,
        EventKinds.STORAGE_TIER_UNAVAILABLE,
        "tier",
        "root",
        "reason",
        "waiting");
    add(StorageTierAvailable.class, EventKinds.STORAGE_TIER_AVAILABLE, "tier", "root");
    add(TaskFailed.class, EventKinds.TASK_FAILED, "task", "error", "consecutive_failures");
    add(
        SnapshotMissed.class,
        EventKinds.SNAPSHOT_MISSED,
        "schedule_id",
        "missed",
        "cause",
        "next_slot");
    add(LeaseAcquired.class, EventKinds.LEASE_ACQUIRED, "duty", "node_id", "epoch");
    add(LeaseLost.class, EventKinds.LEASE_LOST, "duty", "node_id", "epoch", "reason");
    add(ClockSkew.class, EventKinds.CLOCK_SKEW, "node_id", "offset_ms", "limit_ms");
    add(StorageNodeDown.class, EventKinds.STORAGE_NODE_DOWN, "node_id", "gap_id", "since");
    add(
        StorageNodeCaughtUp.class,
        EventKinds.STORAGE_NODE_CAUGHT_UP,
        "node_id",
        "gap_id",
        "since",
        "until");
  }

  private EventCodec() {}

  /** A key of the table: its name, and the value it is left out for (if any). */
  private record Key(String name, Optional<String> omittedWhen) {
    static Key parse(String spec) {
      int eq = spec.indexOf('=');
      return eq < 0
          ? new Key(spec, Optional.empty())
          : new Key(spec.substring(0, eq), Optional.of(spec.substring(eq + 1)));
    }
  }

  /** One record type: its kind, its components, their keys, its canonical constructor. */
  private record Shape(
      String kind, RecordComponent[] components, List<Key> keys, Constructor<?> constructor) {}

  private static void add(Class<? extends TypedEvent> type, String kind, String... keys) {
    RecordComponent[] components = type.getRecordComponents();
    if (components.length != keys.length) {
      throw new IllegalStateException(type.getSimpleName() + " has " + components.length
          + " components but the table gives " + keys.length + " keys");
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      Shape shape =
          new Shape(kind, components, Arrays.stream(keys).map(Key::parse).toList(), constructor);
      if (BY_TYPE.put(type, shape) != null || BY_KIND.put(kind, shape) != null) {
        throw new IllegalStateException(
            "twice in the table: " + type.getSimpleName() + ", " + kind);
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(type.getSimpleName() + " has no canonical constructor", e);
    }
  }

  /** The {@code events.kind} of a typed event. */
  public static String kindOf(TypedEvent event) {
    return shapeOf(event).kind();
  }

  /** The stored payload of a typed event, in component order. */
  public static Map<String, Object> payload(TypedEvent event) {
    Shape shape = shapeOf(event);
    Map<String, Object> payload = new LinkedHashMap<>();
    for (int i = 0; i < shape.components().length; i++) {
      Key key = shape.keys().get(i);
      Object value = json(read(shape.components()[i], event));
      if (value != null
          && !(key.omittedWhen().isPresent() && key.omittedWhen().get().equals(value))) {
        payload.put(key.name(), value);
      }
    }
    return Collections.unmodifiableMap(payload);
  }

  /**
   * The typed record of a stored event, read leniently: keys a later version added are ignored.
   * {@link TypedEvent.Unrecognised} when its kind is not in the table, its severity is not the
   * record's, or a key the record needs is missing or of the wrong type. Never throws.
   */
  public static TypedEvent decode(String kind, Severity severity, Map<String, Object> payload) {
    Shape shape = BY_KIND.get(kind);
    if (shape != null) {
      try {
        Object[] args = new Object[shape.components().length];
        for (int i = 0; i < args.length; i++) {
          Key key = shape.keys().get(i);
          Object stored = payload.get(key.name());
          if (stored == null && key.omittedWhen().isPresent()) {
            stored = key.omittedWhen().get();
          }
          args[i] = value(shape.components()[i].getGenericType(), stored, key.name());
        }
        TypedEvent e = (TypedEvent) shape.constructor().newInstance(args);
        if (e.severity() == severity) {
          return e;
        }
      } catch (RuntimeException | ReflectiveOperationException unreadable) {
        // a missing key, a wrong type, a malformed instant: kept as stored, below
      }
    }
    return new TypedEvent.Unrecognised(kind, severity, payload);
  }

  /**
   * {@link #decode}, and {@link TypedEvent.Unrecognised} unless the record stores exactly this
   * payload again: what an event carries when nothing of a stored row may be lost (keys it does not
   * know, a number or an instant written another way).
   */
  public static TypedEvent decodeExactly(
      String kind, Severity severity, Map<String, Object> payload) {
    TypedEvent e = decode(kind, severity, payload);
    if (e instanceof TypedEvent.Unrecognised || sameJson(e.payload(), payload)) {
      return e;
    }
    return new TypedEvent.Unrecognised(kind, severity, payload);
  }

  private static Shape shapeOf(TypedEvent event) {
    Shape shape = BY_TYPE.get(event.getClass());
    if (shape == null) {
      throw new IllegalArgumentException(
          "not in the event table: " + event.getClass().getName());
    }
    return shape;
  }

  private static Object read(RecordComponent component, TypedEvent event) {
    try {
      return component.getAccessor().invoke(event);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + component.getName() + " of " + event, e);
    }
  }

  /** A component's value as JSON holds it; null for an empty optional. */
  private static Object json(Object v) {
    if (v instanceof Optional<?> o) {
      return o.map(EventCodec::json).orElse(null);
    }
    if (v instanceof OptionalLong o) {
      return o.isPresent() ? (Object) o.getAsLong() : null;
    }
    if (v instanceof Instant t) {
      return t.toString();
    }
    if (v instanceof Integer n) {
      return n.longValue();
    }
    return v; // String, Long, Double, Boolean
  }

  /** A stored value as the component's type; throws when it cannot be one. */
  private static Object value(Type type, Object stored, String key) {
    if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
      return stored == null
          ? Optional.empty()
          : Optional.of(value(p.getActualTypeArguments()[0], stored, key));
    }
    if (type == OptionalLong.class) {
      return stored == null
          ? OptionalLong.empty()
          : OptionalLong.of((Long) value(long.class, stored, key));
    }
    Objects.requireNonNull(stored, key);
    if (type == String.class) {
      return (String) stored;
    }
    if (type == long.class) {
      if (stored instanceof Long
          || stored instanceof Integer
          || stored instanceof Short
          || stored instanceof Byte) {
        return ((Number) stored).longValue();
      }
      throw new IllegalArgumentException(key + " is not an integer");
    }
    if (type == double.class) {
      return ((Number) stored).doubleValue();
    }
    if (type == boolean.class) {
      return (Boolean) stored;
    }
    if (type == Instant.class) {
      return Instant.parse((String) stored);
    }
    throw new IllegalStateException("no JSON for a component of type " + type);
  }

  /** The same keys, in any order, with the same values (numbers compared by value). */
  private static boolean sameJson(Map<String, Object> typed, Map<String, Object> stored) {
    if (!typed.keySet().equals(stored.keySet())) {
      return false;
    }
    for (Map.Entry<String, Object> e : typed.entrySet()) {
      Object a = e.getValue();
      Object b = stored.get(e.getKey());
      boolean same = a instanceof Number x && b instanceof Number y
          ? new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0
          : a.equals(b);
      if (!same) {
        return false;
      }
    }
    return true;
  }
}
