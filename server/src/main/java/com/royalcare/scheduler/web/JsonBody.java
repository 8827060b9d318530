package com.royalcare.scheduler.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A request body read field by field, collecting every problem so the client gets all of them in
 * one 400 ({@code fields}), not one per round trip. Unknown fields and wrong types are errors.
 */
public final class JsonBody {

    private final ObjectNode node;
    private final Map<String, String> problems = new LinkedHashMap<>();

    private JsonBody(ObjectNode node, Set<String> allowed) {
        this.node = node;
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) problems.put(name, "is not a known field");
        }
    }

    public static JsonBody of(byte[] raw, Set<String> allowedFields) {
        return new JsonBody(Json.parseObject(raw), allowedFields);
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** A string field; absent or null gives empty. Text longer than {@code maxLength} or containing control characters is a problem. */
    public Optional<String> text(String field, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) {
            problems.put(field, "must be text");
            return Optional.empty();
        }
        String s = v.textValue();
        if (s.length() > maxLength) {
            problems.put(field, "must be at most " + maxLength + " characters");
            return Optional.empty();
        }
        if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) {
            problems.put(field, "must not contain control characters");
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public String requiredText(String field, int maxLength) {
        Optional<String> s = text(field, maxLength);
        if (s.isEmpty() && !problems.containsKey(field)) problems.put(field, "is required");
        if (s.isPresent() && s.get().isBlank()) {
            problems.put(field, "must not be blank");
            return null;
        }
        return s.orElse(null);
    }

    /** The field's JSON as sent (null when absent), for shapes the typed readers do not cover. */
    public JsonNode raw(String field) {
        return node.get(field);
    }

    /** bcrypt reads at most 72 bytes of a password; a longer one is refused, not silently cut (or a 500). */
    public static final int PASSWORD_MAX_BYTES = 72;

    /**
     * A required password: text of at most {@value #PASSWORD_MAX_BYTES} bytes in UTF-8 (so 72
     * ASCII letters, but only 36 letters such as "é"). Every place that reads a password from a
     * body reads it through here.
     */
    public String requiredPassword(String field) {
        String s = requiredText(field, PASSWORD_MAX_BYTES);
        if (s != null && s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > PASSWORD_MAX_BYTES) {
            problems.put(field, "must be at most " + PASSWORD_MAX_BYTES + " bytes in UTF-8 (letters such as é count as two)");
            return null;
        }
        return s;
    }

    public Optional<Boolean> bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isBoolean()) {
            problems.put(field, "must be true or false");
            return Optional.empty();
        }
        return Optional.of(v.booleanValue());
    }

    /** A boolean field that may be absent but, when sent, must be true or false (null is a problem too). */
    public Optional<Boolean> boolIfSent(String field) {
        Optional<Boolean> b = bool(field);
        if (b.isEmpty() && node.has(field)) problem(field, "must be true or false");
        return b;
    }

    public Optional<Long> id(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() <= 0) {
            problems.put(field, "must be a positive whole number");
            return Optional.empty();
        }
        return Optional.of(v.longValue());
    }

    /** A list of positive whole numbers (ids); absent or null gives empty. */
    public Optional<java.util.List<Long>> idList(String field, int maxItems) {
        return list(field, maxItems, "ids", "ids (positive whole numbers)",
                item -> item.isIntegralNumber() && item.canConvertToLong() && item.longValue() > 0, JsonNode::longValue);
    }

    /** A list of at most {@code maxItems} numbers (finite, JSON numbers only); absent or null gives empty. */
    public Optional<java.util.List<Double>> numberList(String field, int maxItems) {
        return list(field, maxItems, "numbers", "numbers",
                item -> item.isNumber() && Double.isFinite(item.doubleValue()), JsonNode::doubleValue);
    }

    /** A list of at most {@code maxItems} items that each pass {@code valid}; the first bad one is a problem named by {@code what}. */
    private <T> Optional<java.util.List<T>> list(String field, int maxItems, String many, String what,
                                                 java.util.function.Predicate<JsonNode> valid, java.util.function.Function<JsonNode, T> value) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isArray() || v.size() > maxItems) {
            problems.put(field, "must be a list of at most " + maxItems + " " + many);
            return Optional.empty();
        }
        java.util.List<T> out = new java.util.ArrayList<>();
        for (JsonNode item : v) {
            if (!valid.test(item)) {
                problems.put(field, "must be a list of " + what);
                return Optional.empty();
            }
            out.add(value.apply(item));
        }
        return Optional.of(out);
    }

    /** A whole number of at least 0; absent or null gives empty. */
    public Optional<Long> count(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            problems.put(field, "must be a whole number of at least 0");
            return Optional.empty();
        }
        return Optional.of(v.longValue());
    }

    /** A decimal amount, sent as a JSON number or a string such as "1250.50"; absent or null gives empty. */
    public Optional<java.math.BigDecimal> decimal(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        try {
            if (v.isNumber()) return Optional.of(new java.math.BigDecimal(v.asText()));
            if (v.isTextual() && v.textValue().matches("-?\\d{1,12}(\\.\\d+)?")) return Optional.of(new java.math.BigDecimal(v.textValue()));
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.put(field, "must be an amount such as 1250.50");
        return Optional.empty();
    }

    /** A text field parsed by {@code parser}; a parse failure records {@code problem}. */
    public <T> Optional<T> parsed(String field, int maxLength, Function<String, T> parser, String problem) {
        Optional<String> raw = text(field, maxLength);
        if (raw.isEmpty()) return Optional.empty();
        try {
            return Optional.ofNullable(parser.apply(raw.get()));
        } catch (RuntimeException e) {
            problems.put(field, problem);
            return Optional.empty();
        }
    }

    public <T> T requiredParsed(String field, int maxLength, Function<String, T> parser, String problem) {
        if (!node.has(field) || node.get(field).isNull()) {
            problems.put(field, "is required");
            return null;
        }
        return parsed(field, maxLength, parser, problem).orElse(null);
    }

    public void problem(String field, String problem) {
        problems.putIfAbsent(field, problem);
    }

    /** Throws one 400 naming every field problem found so far. */
    public void check() {
        if (problems.isEmpty()) return;
        String message = problems.size() == 1
                ? "The field '" + problems.keySet().iterator().next() + "' " + problems.values().iterator().next() + "."
                : "Some fields need correcting: " + String.join(", ", problems.keySet()) + ".";
        throw new ApiException(400, "VALIDATION", message, problems, Map.of());
    }
}
