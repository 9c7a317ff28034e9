package ai.calling.agent;

import java.util.UUID;

import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.agent.AgentDtos.AgentView;
import ai.calling.agent.AgentDtos.CreateAgentRequest;
import ai.calling.agent.AgentDtos.SyncResult;
import ai.calling.agent.AgentDtos.UpdateAgentRequest;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.common.RequiresTeamRole;
import ai.calling.common.TeamRole;

@RestController
@RequestMapping("/api/agents")
@RequiresTeamRole(TeamRole.ADMIN)
class AgentController {

    private final AgentService agents;

    AgentController(AgentService agents) {
        this.agents = agents;
    }

    @Operation(summary = "Create an agent")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    AgentView create(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody CreateAgentRequest body) {
        return agents.create(user.id(), body);
    }

    @Operation(summary = "List your agents")
    @RequiresTeamRole(TeamRole.VIEWER)
    @GetMapping
    PageResponse<AgentView> list(@AuthenticationPrincipal CurrentUser user, @RequestParam(required = false) String search,
            @RequestParam(required = false) Boolean isActive, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return agents.list(user.id(), search, isActive,
                PageParams.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt").and(Sort.by("id"))));
    }

    @Operation(summary = "Read an agent")
    @RequiresTeamRole(TeamRole.VIEWER)
    @GetMapping("/{id}")
    AgentView get(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return agents.get(user.id(), id);
    }

    @Operation(summary = "Change an agent")
    @PatchMapping("/{id}")
    AgentView update(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id,
            @Valid @RequestBody UpdateAgentRequest body) {
        return agents.update(user.id(), id, body);
    }

    @Operation(summary = "Delete an agent")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        agents.delete(user.id(), id);
    }

    @Operation(summary = "Pull an agent's settings from Bolna")
    @PostMapping("/{id}/sync")
    SyncResult sync(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        return agents.sync(user.id(), id);
    }
}
