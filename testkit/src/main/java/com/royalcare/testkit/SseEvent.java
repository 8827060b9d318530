package com.royalcare.testkit;

/**
 * One dispatched Server-Sent Event: the last {@code id:} seen on the stream (the SSE "last event
 * id", which persists across events), its {@code event:} type ("message" when absent) and its
 * {@code data:} lines joined with '\n'.
 */
public record SseEvent(String id, String type, String data) {
}
