package ai.calling.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a plain socket, for what {@link Http} cannot send: a request line or headers that
 * java.net.http refuses, and a huge body streamed from one reused buffer (so the test itself
 * allocates next to nothing) while the answer is read at the same time.
 */
public final class RawHttp {

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /** Sends the head as given (request line and headers, without the blank line) and no body. */
    public Answer send(String head) throws IOException {
        try (Socket socket = open()) {
            socket.getOutputStream().write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return read(socket.getInputStream(), 0);
        }
    }

    /**
     * One request as given: the target (path and query) is sent verbatim, headers in order, the body
     * (if any) with its Content-Length; the connection closes after the answer.
     */
    public Answer exchange(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        try (Socket socket = open()) {
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: localhost\r\nConnection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream(), 0);
        }
    }

    /**
     * Sends {@code head}, then a body of {@code bodyBytes} bytes of {@code fill} (chunked when
     * {@code chunked}, otherwise with that Content-Length), reading the answer meanwhile. The body
     * stops early when the server closes the connection.
     */
    public Answer stream(String head, long bodyBytes, boolean chunked, byte fill) throws IOException, InterruptedException {
        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            String framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + bodyBytes;
            out.write((head + "\r\n" + framing + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            AtomicLong sent = new AtomicLong();
            Thread writer = Thread.ofPlatform().name("raw-http-body").start(() -> {
                byte[] buffer = new byte[64 * 1024];
                Arrays.fill(buffer, fill);
                byte[] chunkHead = (Integer.toHexString(buffer.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                byte[] crlf = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
                try {
                    while (sent.get() < bodyBytes) {
                        int n = (int) Math.min(buffer.length, bodyBytes - sent.get());
                        if (chunked) {
                            out.write(n == buffer.length ? chunkHead
                                    : (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.write(buffer, 0, n);
                        if (chunked) {
                            out.write(crlf);
                        }
                        sent.addAndGet(n);
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.flush();
                } catch (IOException refused) {
                    // the server answered and closed the connection: what a refused body looks like
                }
            });
            Answer answer = read(socket.getInputStream(), 0);
            socket.close();
            writer.join();
            return answer.withBodyBytesSent(sent.get());
        }
    }

    private Socket open() throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(60_000);
        return socket;
    }

    private static Answer read(InputStream in, long sent) throws IOException {
        Message answer = readMessage(in, true);
        if (answer == null) {
            throw new SocketException("The connection closed before a complete answer: ");
        }
        int status = Integer.parseInt(answer.startLine().split(" ")[1]);
        return new Answer(status, answer.headers(), new String(answer.body(), StandardCharsets.UTF_8), sent);
    }

    /**
     * One HTTP/1.1 message, a request or an answer: its start line, its headers (names in lower case) and
     * its body, by Content-Length or chunked (trailers read past), else up to the end of the stream when
     * {@code bodyUntilClose} (an answer on a closing connection) or none (a request). Null when the stream
     * ended before the message began; a stream that ends inside the head is a SocketException.
     */
    public static Message readMessage(InputStream in, boolean bodyUntilClose) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new SocketException("The connection closed before a complete answer: " + head);
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                chunks.write(in.readNBytes(size));
                line(in);
            }
            // the trailers, up to the empty line that ends the message (a kept-alive connection goes on after it)
            while (!line(in).isEmpty()) {
                // none expected
            }
            body = chunks.toByteArray();
        } else {
            body = bodyUntilClose ? in.readAllBytes() : new byte[0];
        }
        return new Message(lines[0], headers, body);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** An HTTP/1.1 message as {@link #readMessage} read it. */
    public record Message(String startLine, Map<String, String> headers, byte[] body) {
    }

    /** The server's answer; {@code bodyBytesSent} is how much of a streamed body went out before it closed. */
    public record Answer(int status, Map<String, String> headers, String body, long bodyBytesSent) {

        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        Answer withBodyBytesSent(long sent) {
            return new Answer(status, headers, body, sent);
        }
    }
}
