package ai.calling.account;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.CurrentUser;
import ai.calling.common.RequiresTeamRole;
import ai.calling.common.TeamRole;

@RestController
class AccountExportController {

    private final TenantExport export;

    AccountExportController(TenantExport export) {
        this.export = export;
    }

    /** Written straight to the response on the request's thread: no async dispatch, nothing buffered. */
    @Operation(summary = "Export all your data as JSON", description = """
            One JSON document, streamed: account, agents, contacts, calls, transcripts, leadAnalyses and \
            creditTransactions (the ledger). Only your own data.""", responses = @ApiResponse(responseCode = "200",
            description = "The export", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = AccountExportDocument.class))))
    @RequiresTeamRole(TeamRole.OWNER)
    @GetMapping("/api/auth/me/export")
    void export(@AuthenticationPrincipal CurrentUser user, HttpServletResponse response) throws IOException {
        try (TenantExport.Place place = export.claimPlace()) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"account-export.json\"");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            export.write(user.id(), response.getOutputStream());
        }
    }
}
