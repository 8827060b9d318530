package com.royalcare.scheduler.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.util.Map;
import java.util.stream.Collectors;

/** The one ObjectMapper of the app, strict on input, and the mapping of its errors to API errors. */
public final class Json {

    public static final ObjectMapper MAPPER = createMapper();

    private Json() {
    }

    private static ObjectMapper createMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.configure(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        return mapper;
    }

    /** Parses a request body as an object of the given type, turning every parse problem into a 400. */
    public static <T> T parse(byte[] body, Class<T> type) {
        return convert(parseObject(body), type);
    }

    /** Parses a request body that must be one JSON object. */
    public static ObjectNode parseObject(byte[] body) {
        if (body == null || body.length == 0) throw ApiException.badRequest("The request needs a JSON body.");
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("The request body is not valid JSON.");
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("The request body could not be read.");
        }
        if (!(node instanceof ObjectNode object)) throw ApiException.badRequest("The request body must be a JSON object.");
        return object;
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(400, "VALIDATION", "Unknown field '" + e.getPropertyName() + "'.",
                    Map.of(e.getPropertyName(), "is not a known field"), Map.of());
        } catch (MismatchedInputException e) {
            String field = fieldPath(e);
            if (field.isEmpty()) throw ApiException.badRequest("The request body has the wrong shape.");
            throw ApiException.invalidField(field, "has the wrong type");
        } catch (JsonMappingException e) {
            // Validation failures thrown from a record's compact constructor arrive wrapped.
            if (e.getCause() instanceof ApiException api) throw api;
            String field = fieldPath(e);
            throw field.isEmpty() ? ApiException.badRequest("The request body has the wrong shape.")
                    : ApiException.invalidField(field, "is not valid");
        } catch (JsonParseException e) {
            throw ApiException.badRequest("The request body is not valid JSON.");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("The request body could not be read.");
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
