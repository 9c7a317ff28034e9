package ai.calling.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.admin.AdminDtos.ActiveSession;
import ai.calling.admin.AdminDtos.AgentSummary;
import ai.calling.admin.AdminDtos.CallSummary;
import ai.calling.admin.AdminDtos.ConsistencyCheck;
import ai.calling.admin.AdminDtos.IsolationCheck;
import ai.calling.admin.AdminDtos.LoginStats;
import ai.calling.admin.AdminDtos.PlatformStats;
import ai.calling.admin.AdminDtos.RevokedSessions;
import ai.calling.admin.AdminDtos.TriggerHealth;
import ai.calling.admin.MaintenanceJobs.JobRun;
import ai.calling.admin.internal.PlatformQueries;
import ai.calling.auth.UserAdministration;
import ai.calling.call.CallDtos.CallFilter;
import ai.calling.common.AdminAudit;
import ai.calling.common.AllowedValues;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;

/** Platform-wide views for the admin console: totals, sessions, logins, jobs and health checks. */
@RestController
@RequestMapping("/api/admin")
class AdminPlatformController {

    private final PlatformQueries queries;
    private final MaintenanceJobs jobs;
    private final UserAdministration users;
    private final AuditedActions audited;
    private final SystemConfigService config;

    AdminPlatformController(PlatformQueries queries, MaintenanceJobs jobs, UserAdministration users,
            AuditedActions audited, SystemConfigService config) {
        this.queries = queries;
        this.jobs = jobs;
        this.users = users;
        this.audited = audited;
        this.config = config;
    }

    @Operation(summary = "Platform totals")
    @GetMapping("/stats")
    PlatformStats stats() {
        return queries.stats();
    }

    @Operation(summary = "List every tenant's agents")
    @GetMapping("/agents")
    PageResponse<AgentSummary> agents(@RequestParam(required = false) UUID userId,
            @RequestParam(required = false) String search, @RequestParam(required = false) Boolean isActive,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        PageRequest request = PageParams.of(page, size, Sort.unsorted());
        PlatformQueries.Page<AgentSummary> found = queries.agents(userId, search, isActive, request.getPageSize(), request.getOffset());
        return new PageResponse<>(found.items(), request.getPageNumber(), request.getPageSize(), found.total());
    }

    @Operation(summary = "List every tenant's calls")
    @GetMapping("/calls")
    PageResponse<CallSummary> calls(@RequestParam(required = false) UUID userId,
            @RequestParam(required = false) String status, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        PageRequest request = PageParams.of(page, size, Sort.unsorted());
        PlatformQueries.Page<CallSummary> found = queries.calls(userId, AllowedValues.check("status", status,
                CallFilter.STATUSES), from, to, request.getPageSize(), request.getOffset());
        return new PageResponse<>(found.items(), request.getPageNumber(), request.getPageSize(), found.total());
    }

    @Operation(summary = "List the signed-in sessions")
    @GetMapping("/sessions")
    List<ActiveSession> sessions(@RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        PageRequest request = PageParams.of(page, size, Sort.unsorted());
        return queries.activeSessions(request.getPageSize(), request.getOffset());
    }

    @Operation(summary = "Sign-in statistics per account")
    @GetMapping("/login-stats")
    List<LoginStats> loginStats(@RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        PageRequest request = PageParams.of(page, size, Sort.unsorted());
        return queries.loginStats(request.getPageSize(), request.getOffset());
    }

    @Operation(summary = "Sign an account out everywhere")
    @PostMapping("/users/{id}/sessions/revoke")
    RevokedSessions revokeSessions(@AuthenticationPrincipal CurrentUser admin, @PathVariable UUID id,
            HttpServletRequest request) {
        return new RevokedSessions(audited.revokeSessions(admin, id, request));
    }

    @Operation(summary = "List the maintenance jobs and their last runs")
    @GetMapping("/jobs")
    List<JobRun> jobs() {
        return jobs.status();
    }

    @Operation(summary = "Run a maintenance job now")
    @PostMapping("/jobs/{name}/run")
    JobRun runJob(@AuthenticationPrincipal CurrentUser admin, @PathVariable String name, HttpServletRequest request) {
        return audited.runJob(admin, name, request);
    }

    @Operation(summary = "List the runtime settings")
    @GetMapping("/config")
    List<SystemConfigService.ConfigEntry> config() {
        return config.list();
    }

    @Operation(summary = "Read one runtime setting")
    @GetMapping("/config/{key}")
    SystemConfigService.ConfigEntry configEntry(@PathVariable String key) {
        return config.get(key);
    }

    @Operation(summary = "Change one runtime setting")
    @PutMapping("/config/{key}")
    SystemConfigService.ConfigEntry setConfig(@AuthenticationPrincipal CurrentUser admin, @PathVariable String key,
            @RequestBody Map<String, String> body, HttpServletRequest request) {
        return config.set(admin, key, body.get("value"), request);
    }

    @Operation(summary = "Check the analytics triggers")
    @GetMapping("/health/triggers")
    TriggerHealth triggerHealth() {
        return new TriggerHealth(queries.triggerHealth(), queries.recentTriggerErrors());
    }

    @Operation(summary = "Check the data's consistency rules")
    @GetMapping("/consistency")
    List<ConsistencyCheck> consistency() {
        return queries.consistency();
    }

    @Operation(summary = "Audit an account's data isolation")
    @GetMapping("/users/{id}/isolation-audit")
    List<IsolationCheck> isolationAudit(@PathVariable UUID id) {
        users.get(id);
        return queries.isolationAudit(id);
    }

    /** Admin actions with their audit rows, one transaction each. */
    @Service
    static class AuditedActions {

        private final UserAdministration users;
        private final MaintenanceJobs jobs;
        private final AdminAudit audit;
        private final TransactionTemplate transactions;

        AuditedActions(UserAdministration users, MaintenanceJobs jobs, AdminAudit audit,
                TransactionTemplate transactions) {
            this.users = users;
            this.jobs = jobs;
            this.audit = audit;
            this.transactions = transactions;
        }

        @Transactional
        int revokeSessions(CurrentUser admin, UUID userId, HttpServletRequest request) {
            int revoked = users.revokeSessions(admin, userId);
            audit.record(admin, "user.sessions_revoked", "user", userId.toString(), userId, Map.of("revoked", revoked),
                    request);
            return revoked;
        }

        /** The job runs in its own statements (a failure must not poison the audit's transaction). */
        JobRun runJob(CurrentUser admin, String name, HttpServletRequest request) {
            JobRun run = jobs.run(name, "manual");
            transactions.executeWithoutResult(status -> audit.record(admin, "job.run", "job", name, null,
                    Map.of("outcome", run.outcome()), request));
            return run;
        }
    }
}
