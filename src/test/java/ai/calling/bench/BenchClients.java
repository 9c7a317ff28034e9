package ai.calling.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;

/** Loopback HTTP clients for the benchmarks: timed GETs over several threads; p50 and p95. */
final class BenchClients {

    private BenchClients() {
    }

    /** How many requests were timed, and their median and 95th percentile. */
    record Latency(long requests, double p50Ms, double p95Ms) {
    }

    /** The path of a client thread's {@code n}-th request (from 0). */
    @FunctionalInterface
    interface PathOf {
        String path(int thread, int n);
    }

    /** {@code requests} GETs of {@code path} spread over {@code clients} threads. */
    static Latency measure(int port, String path, String access, int clients, int requests) throws Exception {
        return measure(port, access, clients, n -> n < requests / clients, (thread, n) -> path, () -> { });
    }

    /**
     * GETs from {@code clients} threads, each sending its {@code n}-th request while {@code more(n)}, to
     * {@code pathOf(thread, n)}, with {@code beforeEach} run (untimed) before each; every answer must be 200.
     */
    static Latency measure(int port, String access, int clients, IntPredicate more, PathOf pathOf, Runnable beforeEach)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int n = 0; more.test(n); n++) {
                        String path = pathOf.path(thread, n);
                        beforeEach.run();
                        long start = System.nanoTime();
                        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + port + path)).header("Authorization", "Bearer " + access).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(path + " answered " + response.statusCode());
                        }
                        latencies.add(System.nanoTime() - start);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Latency(sorted.size(), sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.95)) / 1e6);
    }
}
