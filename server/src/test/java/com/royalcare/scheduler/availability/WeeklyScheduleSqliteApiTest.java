package com.royalcare.scheduler.availability;

import java.util.Map;

class WeeklyScheduleSqliteApiTest extends WeeklyScheduleApiContract {
    @Override
    protected Map<String, String> env() {
        return Map.of();
    }
}
