package com.royalcare.loadtest.drill;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.TreeMap;

/** What a screen shows of one slot; two screens agree when these are equal. */
record SlotView(long id, long staffId, String date, String start, String end, boolean available, String note, long version) {

    static SlotView of(JsonNode slot) {
        JsonNode note = slot.get("note");
        return new SlotView(slot.get("id").asLong(), slot.get("staffId").asLong(), slot.get("date").asText(),
                slot.get("start").asText(), slot.get("end").asText(), slot.get("available").asBoolean(),
                note == null || note.isNull() ? null : note.asText(), slot.get("version").asLong());
    }

    /** The slots of a list answer ({@code {"seq","items":[...]}}) by id. */
    static Map<Long, SlotView> ofItems(JsonNode listing) {
        Map<Long, SlotView> out = new TreeMap<>();
        for (JsonNode s : listing.get("items")) {
            SlotView v = of(s);
            out.put(v.id(), v);
        }
        return out;
    }
}
