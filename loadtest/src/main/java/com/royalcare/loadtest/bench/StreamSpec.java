package com.royalcare.loadtest.bench;

import java.net.URI;
import java.util.Map;

/** What to GET to open one event stream: the URI and the request headers (besides Host). */
record StreamSpec(URI uri, Map<String, String> headers) {
}
