package com.royalcare.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

    private static final String CHANGE = "{\"seq\":12,\"type\":\"availability_deleted\",\"actorId\":1,\"staffId\":5,"
            + "\"date\":\"2031-01-01\",\"data\":{\"id\":\"ab-12\",\"staffId\":5,\"date\":\"2031-01-01\"}}";

    @Test
    void finds_string_and_bare_values() {
        assertThat(Json.valueAfter(CHANGE, "seq", 0)).isEqualTo("12");
        assertThat(Json.valueAfter(CHANGE, "type", 0)).isEqualTo("availability_deleted");
        assertThat(Json.valueAfter(CHANGE, "id", CHANGE.indexOf("\"data\""))).isEqualTo("ab-12");
    }

    @Test
    void field_names_are_matched_whole_and_values_are_not_mistaken_for_names() {
        String json = "{\"staffId\":3,\"note\":\"id\",\"id\" : 44}";
        assertThat(Json.valueAfter(json, "id", 0)).isEqualTo("44");
        assertThat(Json.valueAfter(json, "missing", 0)).isNull();
        assertThat(Json.valueAfter("{\"note\":null}", "note", 0)).isNull();
    }

    @Test
    void escaped_quotes_do_not_end_a_string() {
        assertThat(Json.valueAfter("{\"note\":\"a\\\"b\",\"x\":1}", "note", 0)).isEqualTo("a\\\"b");
    }
}
