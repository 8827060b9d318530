package com.royalcare.scheduler.availability;

import com.royalcare.testkit.Postgres;

import java.util.Map;

class WeeklySchedulePostgresApiTest extends WeeklyScheduleApiContract {
    @Override
    protected Map<String, String> env() {
        return Postgres.newDatabaseEnv();
    }
}
