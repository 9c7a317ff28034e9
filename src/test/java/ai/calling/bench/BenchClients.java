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

/** Loopback HTTP clients for the benchmarks: {@code requests} GETs over {@code clients} threads; p50 and p95. */
final class BenchClients {

    private BenchClients() {
    }

    record Latency(double p50Ms, double p95Ms) {
    }

    static Latency measure(int port, String path, String access, int clients, int requests) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < requests / clients; i++) {
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
        return new Latency(sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.95)) / 1e6);
    }
}
