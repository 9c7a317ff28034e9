package ai.calling.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OCI image tarball as {@code jib:buildTar} writes it: its entrypoint, and its layers unpacked into
 * a directory with each file's modification time and mode. The times matter: the JVM accepts an AOT
 * cache only for the very jar files it was created from (same size and modification time; the
 * directory they sit in may differ), so a cache trained on the unpacked layers fits the image.
 */
final class ImageTarball {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, byte[]> blobs;
    private final JsonNode manifest;
    private final JsonNode config;

    private ImageTarball(Map<String, byte[]> blobs) {
        this.blobs = blobs;
        JsonNode index = JSON.readTree(blobs.get("index.json"));
        this.manifest = JSON.readTree(blob(index.path("manifests").get(0).path("digest").asString()));
        this.config = JSON.readTree(blob(manifest.path("config").path("digest").asString()));
    }

    static ImageTarball read(Path tarball) throws IOException {
        Map<String, byte[]> blobs = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    blobs.put(normalize(entry.getName()), tar.readAllBytes());
                }
            }
        }
        return new ImageTarball(blobs);
    }

    List<String> entrypoint() {
        List<String> entrypoint = new ArrayList<>();
        config.path("config").path("Entrypoint").forEach(part -> entrypoint.add(part.asString()));
        return entrypoint;
    }

    List<String> exposedPorts() {
        List<String> ports = new ArrayList<>();
        config.path("config").path("ExposedPorts").propertyNames().forEach(ports::add);
        return ports;
    }

    String user() {
        return config.path("config").path("User").asString();
    }

    /** Unpacks every layer, in order, below {@code root} (which must be empty or absent). */
    void unpack(Path root) throws IOException {
        Files.createDirectories(root);
        List<Path> directories = new ArrayList<>();
        Map<Path, FileTime> directoryTimes = new HashMap<>();
        for (JsonNode layer : manifest.path("layers")) {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                    new ByteArrayInputStream(blob(layer.path("digest").asString()))))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    String name = normalize(entry.getName());
                    if (name.isEmpty()) {
                        continue;
                    }
                    Path target = root.resolve(name).normalize();
                    if (!target.startsWith(root)) {
                        throw new IOException("Layer entry outside the image root: " + entry.getName());
                    }
                    FileTime time = FileTime.from(entry.getLastModifiedTime().toInstant());
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                        directories.add(target);
                        directoryTimes.put(target, time);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else if (entry.isFile()) {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                        Files.setLastModifiedTime(target, time);
                    }
                }
            }
        }
        // last: writing a file into a directory changes the directory's time
        for (Path directory : directories) {
            Files.setLastModifiedTime(directory, directoryTimes.get(directory));
        }
    }

    private byte[] blob(String digest) {
        byte[] content = blobs.get("blobs/" + digest.replace(':', '/'));
        if (content == null) {
            throw new IllegalStateException("Blob " + digest + " is missing from the image tarball");
        }
        return content;
    }

    private static String normalize(String name) {
        return name.replaceFirst("^\\./", "").replaceFirst("^/", "");
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = { PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ };
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(bits[bit]);
            }
        }
        permissions.add(PosixFilePermission.OWNER_WRITE); // so that the next build can delete the copy
        return permissions;
    }

    /**
     * The image's entrypoint run from {@code root} instead of {@code /}: the java executable and the
     * classpath file are looked up below it, the classpath's {@code /app/} entries rewritten to it.
     */
    static List<String> relocated(List<String> entrypoint, Path root) throws IOException {
        List<String> command = new ArrayList<>();
        for (String part : entrypoint) {
            if (part.startsWith("@/")) {
                Path original = root.resolve(part.substring(2));
                String classpath = Files.readString(original).trim().replace("/app/", root.resolve("app") + "/");
                Path relocated = original.resolveSibling(original.getFileName() + ".relocated");
                Files.writeString(relocated, classpath);
                command.add("@" + relocated);
            } else if (part.startsWith("/") && command.isEmpty()) {
                command.add(root.resolve(part.substring(1)).toString());
            } else if (part.startsWith("-XX:AOTCache=/")) {
                command.add("-XX:AOTCache=" + root.resolve(part.substring("-XX:AOTCache=/".length())));
            } else {
                command.add(part);
            }
        }
        return command;
    }
}
