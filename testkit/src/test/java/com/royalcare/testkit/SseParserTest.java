package com.royalcare.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SseParserTest {

    private final List<SseEvent> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private final List<Long> retries = new ArrayList<>();
    private final SseParser parser = new SseParser(new SseParser.Listener() {
        @Override
        public void onEvent(SseEvent event) {
            events.add(event);
        }

        @Override
        public void onComment(String comment) {
            comments.add(comment);
        }

        @Override
        public void onRetry(long millis) {
            retries.add(millis);
        }
    });

    private static final String STREAM = """
            retry: 3000
            : hello

            id: 7
            event: availability_created
            data: {"seq":7,"note":"ünïcode ✓"}

            : heartbeat
            data: first
            data: second

            id: 9
            event: staff_updated
            data:{"seq":9}

            """;

    @Test
    void parses_ids_types_data_comments_and_retry() {
        parser.feed(STREAM.getBytes(StandardCharsets.UTF_8));

        assertThat(events).containsExactly(
                new SseEvent("7", "availability_created", "{\"seq\":7,\"note\":\"ünïcode ✓\"}"),
                new SseEvent("7", "message", "first\nsecond"),
                new SseEvent("9", "staff_updated", "{\"seq\":9}"));
        assertThat(comments).containsExactly("hello", "heartbeat");
        assertThat(retries).containsExactly(3000L);
        assertThat(parser.lastEventId()).isEqualTo("9");
    }

    @Test
    void same_events_whatever_the_split_points_and_line_endings() {
        for (String ending : List.of("\n", "\r\n", "\r")) {
            byte[] bytes = STREAM.replace("\n", ending).getBytes(StandardCharsets.UTF_8);
            for (int split = 0; split <= bytes.length; split++) {
                events.clear();
                SseParser p = new SseParser(events::add);
                p.feed(ByteBuffer.wrap(bytes, 0, split));
                p.feed(ByteBuffer.wrap(bytes, split, bytes.length - split));
                assertThat(events).as("ending %s split at %d", ending.replace("\r", "CR").replace("\n", "LF"), split)
                        .hasSize(3)
                        .extracting(SseEvent::data)
                        .containsExactly("{\"seq\":7,\"note\":\"ünïcode ✓\"}", "first\nsecond", "{\"seq\":9}");
            }
        }
    }

    @Test
    void byte_at_a_time_equals_all_at_once() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            parser.feed(new byte[] {b});
        }
        assertThat(events).extracting(SseEvent::id).containsExactly("7", "7", "9");
    }

    @Test
    void reads_direct_buffers_larger_than_its_scratch_space() {
        String big = "x".repeat(20_000);
        byte[] bytes = ("id: 1\ndata: " + big + "\n\n" + STREAM).getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();

        parser.feed(direct);

        assertThat(direct.hasRemaining()).isFalse();
        assertThat(events).hasSize(4);
        assertThat(events.get(0).data()).isEqualTo(big);
    }

    @Test
    void an_event_without_data_is_not_dispatched_but_its_id_is_kept() {
        parser.feed("id: 41\nevent: skipped\n\ndata: x\n\n".getBytes(StandardCharsets.UTF_8));

        assertThat(events).containsExactly(new SseEvent("41", "message", "x"));
    }

    @Test
    void an_unterminated_event_is_not_dispatched_and_reset_drops_it_with_its_id() {
        parser.feed("id: 4\ndata: a\n\nid: 5\ndata: partial".getBytes(StandardCharsets.UTF_8));
        assertThat(events).containsExactly(new SseEvent("4", "message", "a"));
        assertThat(parser.lastEventId()).as("event 5 has not ended: resuming after it would skip it").isEqualTo("4");

        parser.resetPartial();
        parser.feed("data: whole\n\n".getBytes(StandardCharsets.UTF_8));

        assertThat(events).containsExactly(new SseEvent("4", "message", "a"), new SseEvent("4", "message", "whole"));
    }

    @Test
    void an_id_only_frame_moves_the_last_event_id_when_it_ends() {
        parser.feed("id: 41\n".getBytes(StandardCharsets.UTF_8));
        assertThat(parser.lastEventId()).isEmpty();

        parser.feed("\n".getBytes(StandardCharsets.UTF_8));

        assertThat(parser.lastEventId()).isEqualTo("41");
        assertThat(events).isEmpty();
    }

    /** What a browser-like follower needs: which blocks carried their own id, and the blocks that had no data. */
    @Test
    void says_which_blocks_had_their_own_id_and_reports_blocks_without_data() {
        List<String> blocks = new ArrayList<>();
        SseParser[] p = new SseParser[1];
        p[0] = new SseParser(new SseParser.Listener() {
            @Override
            public void onEvent(SseEvent event) {
                blocks.add("event " + event.type() + " id " + event.id() + (p[0].blockHadId() ? " own" : " inherited"));
            }

            @Override
            public void onComment(String comment) {
                blocks.add("comment " + comment);
            }

            @Override
            public void onBlockWithoutData() {
                blocks.add("no data" + (p[0].blockHadId() ? ", id " + p[0].lastEventId() : ""));
            }
        });

        p[0].feed("""
                retry: 2000
                : connected

                id: 5

                id: 6
                : heartbeat

                id: 7
                event: a
                data: {}

                event: closed
                data: {"reason":"shutdown"}

                """.getBytes(StandardCharsets.UTF_8));

        assertThat(blocks).containsExactly("comment connected", "no data", "no data, id 5", "comment heartbeat", "no data, id 6",
                "event a id 7 own", "event closed id 7 inherited");
    }

    @Test
    void lines_already_split_by_a_line_subscriber_parse_like_bytes() {
        for (String line : STREAM.split("\n", -1)) {
            parser.feedLine(line);
        }

        assertThat(events).containsExactly(
                new SseEvent("7", "availability_created", "{\"seq\":7,\"note\":\"ünïcode ✓\"}"),
                new SseEvent("7", "message", "first\nsecond"),
                new SseEvent("9", "staff_updated", "{\"seq\":9}"));
        assertThat(comments).containsExactly("hello", "heartbeat");
    }
}
