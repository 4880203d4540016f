package io.heldar.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.heldar.core.event.StoredEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.timeline.Coverage;
import io.heldar.core.timeline.DaySummary;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * A Jackson module that writes Heldar's records in the HTTP API's shapes ({@link ApiJson}):
 * register it on a host's {@code ObjectMapper} (Spring Boot picks up a {@code Module} bean; the
 * starter declares one), and a host's own controller returning a {@link Coverage}, {@link
 * Segment}, {@link RecordingGap}, {@link Camera}, {@link DaySummary} or {@link StoredEvent} gives
 * exactly the JSON of {@code /api}: {@code snake_case} keys in a fixed order, instants as ISO-8601
 * UTC strings, durations in seconds, causes and statuses in lower case.
 *
 * <pre>{@code
 * ObjectMapper mapper = new ObjectMapper().registerModule(new HeldarJacksonModule());
 * mapper.writeValueAsString(heldar.client().timeline().coverage(camera, from, to, tolerance));
 * }</pre>
 */
public final class HeldarJacksonModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  /** The module, with a serializer for each record above. */
  public HeldarJacksonModule() {
    super("heldar");
    add(Camera.class, ApiJson::camera);
    add(Segment.class, ApiJson::segment);
    add(RecordingGap.class, ApiJson::gap);
    add(Coverage.class, ApiJson::coverage);
    add(DaySummary.class, ApiJson::day);
    add(StoredEvent.class, ApiJson::event);
  }

  private <T> void add(Class<T> type, Function<T, Map<String, Object>> shape) {
    addSerializer(type, new ShapeSerializer<>(type, shape));
  }

  /** Writes a record as its API map. */
  private static final class ShapeSerializer<T> extends JsonSerializer<T> {
    private final Class<T> type;
    private final Function<T, Map<String, Object>> shape;

    ShapeSerializer(Class<T> type, Function<T, Map<String, Object>> shape) {
      this.type = type;
      this.shape = shape;
    }

    @Override
    public Class<T> handledType() {
      return type;
    }

    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      serializers.defaultSerializeValue(shape.apply(value), gen);
    }
  }
}
