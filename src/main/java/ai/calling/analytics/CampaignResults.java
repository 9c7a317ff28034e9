package ai.calling.analytics;

import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.analytics.internal.CampaignResultQueries;
import ai.calling.analytics.internal.CampaignResultQueries.CallFigures;
import ai.calling.analytics.internal.CampaignResultQueries.LeadFigures;
import ai.calling.campaign.CampaignService;

/**
 * What a campaign achieved, from its calls, their outcomes and their lead analyses: calls ended,
 * connect rate (calls a person answered, voicemails left out, among calls ended), average duration
 * of connected calls, credits spent, and leads by Hot/Warm/Cold (each number's latest individual
 * analysis from the campaign).
 */
@Service
public class CampaignResults {

    private final CampaignResultQueries queries;
    private final CampaignService campaigns;

    CampaignResults(CampaignResultQueries queries, CampaignService campaigns) {
        this.queries = queries;
        this.campaigns = campaigns;
    }

    /** 404 for another tenant's campaign, as for a missing one. */
    @Transactional(readOnly = true)
    public Results of(UUID userId, UUID campaignId) {
        campaigns.get(userId, campaignId);
        CallFigures calls = queries.calls(userId, campaignId);
        LeadFigures leads = queries.leads(userId, campaignId);
        double connectRate = calls.ended() == 0 ? 0 : Math.round(1000.0 * calls.connected() / calls.ended()) / 1000.0;
        return new Results(campaignId, calls.ended(), calls.connected(), connectRate, calls.averageDurationSeconds(),
                calls.creditsSpent(), new Leads(leads.hot(), leads.warm(), leads.cold()));
    }

    /** A campaign's results; {@code connectRate} is a fraction (0.42), to three decimals. */
    public record Results(UUID campaignId, long callsEnded, long callsConnected, double connectRate,
            long averageDurationSeconds, long creditsSpent, Leads leads) {
    }

    /** Numbers of the campaign whose latest analysis tagged them Hot, Warm or Cold. */
    public record Leads(long hot, long warm, long cold) {
    }
}
