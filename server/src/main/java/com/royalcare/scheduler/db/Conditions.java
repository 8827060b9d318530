package com.royalcare.scheduler.db;

import org.jdbi.v3.core.statement.SqlStatement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WHERE clause of only the filters a query was given. The alternative, one statement with
 * {@code (:x IS NULL OR column = :x)} for every optional filter, makes SQLite plan without the
 * values and scan every row: the overlap check of each slot write read the whole availability
 * table that way (issue 14), so a write grew slower with every month of history.
 */
public final class Conditions {

    private final List<String> clauses = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Adds {@code clause} (which names {@code :name}) when {@code value} is not null. */
    public Conditions andIf(Object value, String clause, String name) {
        if (value != null) {
            clauses.add(clause);
            values.put(name, value);
        }
        return this;
    }

    /** {@code " WHERE a AND b"}, or nothing when no filter applies. */
    public String where() {
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    /** Binds the values of the clauses that apply. */
    public <S extends SqlStatement<S>> S bind(S statement) {
        return statement.bindMap(values);
    }
}
