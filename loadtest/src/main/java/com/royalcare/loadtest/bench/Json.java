package com.royalcare.loadtest.bench;

/**
 * Just enough JSON scanning for the hot path: pulling one scalar field out of an event's one-line
 * JSON without building a tree (the tool shares two cores with the server it measures).
 */
final class Json {

    private Json() {
    }

    /**
     * The value of the first {@code "field":} at or after {@code from}: a string's raw content
     * (escapes are not decoded; the tool's own keys never contain any) or a bare scalar's text.
     * Null when absent or {@code null}.
     */
    static String valueAfter(String json, String field, int from) {
        String needle = "\"" + field + "\"";
        int i = json.indexOf(needle, from);
        while (i >= 0) {
            int j = skipSpaces(json, i + needle.length());
            if (j < json.length() && json.charAt(j) == ':') {
                j = skipSpaces(json, j + 1);
                if (j >= json.length()) {
                    return null;
                }
                if (json.charAt(j) == '"') {
                    int end = j + 1;
                    while (end < json.length() && json.charAt(end) != '"') {
                        end += json.charAt(end) == '\\' ? 2 : 1;
                    }
                    return end < json.length() ? json.substring(j + 1, end) : null;
                }
                int end = j;
                while (end < json.length() && ",}] \t\r\n".indexOf(json.charAt(end)) < 0) {
                    end++;
                }
                String bare = json.substring(j, end);
                return bare.equals("null") ? null : bare;
            }
            i = json.indexOf(needle, i + 1); // that was a value, not a field name
        }
        return null;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
