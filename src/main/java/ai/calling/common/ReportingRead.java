package ai.calling.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a GET endpoint whose answer is a report (dashboards, analytics): it only reads, and a
 * second of replication lag does not matter to it. When a read replica is configured
 * ({@code SPRING_DATASOURCE_REPLICA_URL}) its queries go there; everything else, writes and the
 * reads that must see a client's own writes, stays on the primary.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ReportingRead {
}
