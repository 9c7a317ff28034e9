package ai.calling.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The lowest role in the workspace that may call an endpoint of ours. On a controller it applies
 * to each of its endpoints, on a method to that one (the method wins). An endpoint without it is
 * open to {@link TeamRole#VIEWER} when it only reads (GET, HEAD) and to {@link TeamRole#MEMBER}
 * otherwise. Checked before the request body or the ids in the path are looked at, so a 403 says
 * nothing about whether an id exists. The admin console ({@code /api/admin/**}) answers to the
 * platform role instead.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface RequiresTeamRole {

    TeamRole value();
}
