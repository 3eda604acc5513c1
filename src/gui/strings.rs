//! Every fixed text of the desktop app, in Norwegian bokmål and English side by side, so a
//! translation is checked in one place. Scale texts come from the scale files instead.

use crate::core::text::Lang;

macro_rules! strings {
    ($($key:ident: $nb:expr, $en:expr;)*) => {
        /// The app's texts in one language.
        #[derive(Debug)]
        pub struct Strings {
            $(pub $key: &'static str,)*
        }

        /// Norwegian bokmål.
        pub const NB: Strings = Strings { $($key: $nb,)* };
        /// English.
        pub const EN: Strings = Strings { $($key: $en,)* };
    };
}

pub fn get(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Nb => &NB,
        Lang::En => &EN,
    }
}

strings! {
    app_title: "IPS kvalitetsskala", "IPS fidelity scale";
    nav_services: "Tjenester", "Services";
    evaluation: "Evaluering", "Review";
    evaluations: "Evalueringer", "Reviews";
    theme_light: "Lyst tema", "Light theme";
    theme_dark: "Mørkt tema", "Dark theme";
    theme_hint: "Bytt mellom lyst og mørkt tema", "Switch between light and dark theme";
    switch_language: "English", "Norsk";
    switch_language_hint: "Switch the language to English", "Bytt språk til norsk bokmål";
    workspace_hint: "Arbeidsområdet: mappen der evalueringene lagres", "The workspace: the folder where reviews are saved";
    error_tag: "Feil:", "Error:";
    info_tag: "Info:", "Info:";
    dismiss: "Lukk", "Dismiss";
    more_messages: "eldre meldinger", "older messages";
    file_left_untouched: " (filen er ikke endret; rett den eller flytt den bort, og last inn på nytt)", " (the file was left untouched; fix or move it, then reload)";
    hint_conflict: "Endringene dine er beholdt i vinduet. Last inn på nytt for å se den andres endringer.", "Your changes are kept in the window. Reload to see the other person's changes.";
    hint_locked: "Prøv igjen om et øyeblikk.", "Try again in a moment.";
    hint_io: "Sjekk at mappen finnes, at du har skrivetilgang og at disken ikke er full.", "Check that the folder exists, that you may write to it and that the disk is not full.";
    unknown_scale: "ukjent skala", "unknown scale";
    example_opened: "Eksempelet er kopiert inn i arbeidsområdet", "The example was copied into the workspace";
    files: "filer", "files";
    service_deleted: "tjenesten er flyttet til papirkurven i arbeidsområdet (.trash)", "the service was moved to the workspace's trash (.trash)";
    evaluation_exists: "Det finnes allerede en evaluering av denne typen på denne datoen.", "A review of this type on this date already exists.";

    welcome_title: "Velkommen til IPS kvalitetsskala", "Welcome to the IPS fidelity scale";
    welcome_text: "Her skårer evaluatorer IPS-tjenester på kvalitetsskalaen, og styringsgruppen følger kvaliteten over tid.", "Reviewers score IPS services on the fidelity scale here, and the steering group follows quality over time.";
    welcome_example_heading: "Se et eksempel", "See an example";
    welcome_example_text: "En oppdiktet tjeneste, IPS Nordby, med tre evalueringer over to år, to evaluatorer og handlingsplaner. Eksempelet kopieres inn i arbeidsområdet ditt.", "A fictional service, IPS Nordby, with three reviews over two years, two reviewers and action plans. The example is copied into your workspace.";
    open_example: "Åpne eksempelet", "Open the example";
    welcome_create_heading: "Opprett en tjeneste", "Create a service";
    privacy_note: "Registrer bare skårer og funn om tjenesten – aldri opplysninger om enkeltpersoner.", "Record only scores and findings about the service – never data about individual job seekers.";

    services_heading: "Tjenester", "Services";
    filter: "Søk", "Search";
    filter_hint: "navn på tjeneste", "service name";
    sort_by: "Sorter etter", "Sort by";
    sort_name: "Navn", "Name";
    sort_total: "Siste total", "Latest total";
    sort_next_review: "Neste evaluering", "Next review";
    sort_change: "Endring", "Change";
    new_service: "Ny tjeneste", "New service";
    reload: "Last inn på nytt", "Reload";
    reload_hint: "Les arbeidsområdet fra disk igjen (f.eks. etter endringer fra en kollega)", "Read the workspace from disk again (e.g. after a colleague's changes)";
    no_services_match: "Ingen tjenester passer søket.", "No service matches the search.";
    col_service: "Tjeneste", "Service";
    col_total: "Total", "Total";
    col_band: "Kvalitet", "Fidelity";
    col_change: "Endring", "Change";
    col_next_review: "Neste evaluering", "Next review";
    col_steering: "Styringsgruppe", "Steering group";
    col_type: "Type", "Type";
    no_evaluations: "ingen evalueringer", "no reviews";
    overdue: "forfalt", "overdue";
    meetings_per_year: "møter i året", "meetings a year";
    preliminary: "Foreløpig", "Preliminary";

    service_name: "Navn på tjenesten", "Service name";
    nav_office: "NAV-kontor", "NAV office";
    health_partners: "Helsepartnere (kommaseparert)", "Health partners (comma-separated)";
    start_date: "Oppstartsdato (ÅÅÅÅ-MM-DD)", "Start date (YYYY-MM-DD)";
    create_service: "Opprett tjeneste", "Create service";
    partners_label: "Helsepartnere", "Health partners";
    started_label: "Oppstart", "Started";
    ask_from: "bestill fra", "ask for it from";
    save_changes: "Lagre endringer", "Save changes";
    cancel: "Avbryt", "Cancel";
    name_required: "Tjenesten må ha et navn.", "The service needs a name.";
    bad_date: "Skriv datoen som ÅÅÅÅ-MM-DD.", "Write the date as YYYY-MM-DD.";
    tab_evaluations: "Evalueringer", "Reviews";
    tab_trends: "Trender", "Trends";
    edit_service: "Rediger tjenesten", "Edit service";
    delete_service: "Slett tjenesten", "Delete service";
    delete_confirm: "Vil du slette", "Delete";
    delete_note: "Mappen flyttes til papirkurven i arbeidsområdet (.trash) og kan hentes tilbake derfra.", "The folder is moved to the workspace's trash (.trash) and can be recovered from there.";
    delete_yes: "Ja, slett", "Yes, delete";
    new_evaluation: "Ny evaluering", "New review";
    date: "Dato", "Date";
    create_evaluation: "Opprett evaluering", "Create review";
    no_evaluations_yet: "Ingen evalueringer ennå.", "No reviews yet.";
    reviewers: "Evaluatorer", "Reviewers";
    open: "Åpne", "Open";

    tab_scoring: "Skåring", "Scoring";
    tab_consensus: "Enighet og konsensus", "Agreement and consensus";
    tab_plan: "Handlingsplan", "Action plan";
    undo: "Angre", "Undo";
    redo: "Gjør om", "Redo";
    all_saved: "Alt er lagret", "All changes saved";
    saving: "Lagrer …", "Saving …";
    not_saved: "IKKE LAGRET", "NOT SAVED";
    conflict_banner: "Filen er endret av noen andre siden du åpnet den. Endringene dine er ikke skrevet over deres, og de er fortsatt her.", "Someone else changed the file since you opened it. Your changes did not overwrite theirs and are still here.";
    save_failed_banner: "Kunne ikke lagre. Endringene er beholdt i vinduet; se meldingen nederst.", "Could not save. Your changes are kept in the window; see the message below.";
    back_to_service: "Tilbake til tjenesten", "Back to the service";
    make_report: "Lag PDF-rapport", "Make PDF report";
    versions: "Tidligere versjoner", "Earlier versions";
    edits_rescued: "Endringene dine kunne ikke lagres i evalueringsfilen og er lagret som kopi", "Your changes could not be saved to the review's file and were saved as a copy";
    date_hint: "ÅÅÅÅ-MM-DD", "YYYY-MM-DD";
    versions_hint: "De siste 10 lagrede versjonene av evalueringen; en kan gjenopprettes", "The last 10 saved versions of the review; one can be restored";
    no_versions: "Ingen tidligere versjoner ennå.", "No earlier versions yet.";
    restore: "Gjenopprett", "Restore";
    restore_version: "Gjenopprett versjon", "Restore version";
    version_restored: "Gjenopprettet versjonen fra", "Restored the version from";
    close: "Lukk", "Close";
    also_open_by: "Denne tjenesten er også åpen hos:", "This service is also open at:";
    make_report_hint: "Kvalitetsevaluering og handlingsplan for styringsgruppen, med hele historikken", "Fidelity review and action plan for the steering group, with the whole history";
    making_report: "Lager rapport …", "Making the report …";
    open_report: "Åpne rapporten", "Open the report";
    open_folder: "Åpne mappen", "Open the folder";
    report_saved: "Rapporten er lagret", "The report was saved";
    report_failed: "Rapporten kunne ikke lages", "The report could not be made";
    open_yourself: "Åpne filen selv fra mappen.", "Open the file yourself from the folder.";
    scoring_as: "Skår som:", "Scoring as:";
    consensus_scores: "Konsensus", "Consensus";
    reviewer: "Evaluator", "Reviewer";
    new_reviewer_label: "Ny evaluator", "New reviewer";
    add_reviewer: "Legg til evaluator", "Add reviewer";
    reviewer_done: "Ferdig med min skåring", "My scoring is done";
    others_hidden: "De andres skårer er skjult til alle er ferdige.", "The others' scores are hidden until everyone is done.";
    others_hidden_long: "Du skårer uavhengig: de andre evaluatorenes skårer vises først i konsensusvisningen når alle er ferdige.", "You score independently: the other reviewers' scores appear in the consensus view once everyone is done.";
    prev_short: "forrige", "previous";
    item_kind: "Type", "Kind";
    suggested_sources: "Datakilder", "Data sources";
    score: "Skår", "Score";
    previous_review: "Forrige evaluering", "Previous review";
    no_previous: "Ingen tidligere evaluering", "No previous review";
    clear_score: "Fjern skår", "Clear score";
    level: "Nivå", "Level";
    checklist_heading: "Elementer som er på plass", "Elements in place";
    measured_heading: "Tall", "Figures";
    not_a_number: "Ikke et tall", "Not a number";
    out_of_range: "Utenfor", "Outside";
    described_levels_note: "Disse nivåene velges ut fra beskrivelsen, ikke tallet:", "These levels are chosen from the description, not the number:";
    no_proposal_yet: "Fyll inn tallene for å få en foreslått skår.", "Enter the figures to get a proposed score.";
    proposed_score: "Foreslått skår", "Proposed score";
    use_proposed: "Bruk foreslått skår", "Use proposed score";
    differs_from_proposal: "Skåren avviker fra den foreslåtte.", "The score differs from the proposed one.";
    override_reason: "Begrunnelse for avvik", "Reason for the difference";
    reason_required: "Skriv hvorfor skåren avviker.", "Write why the score differs.";
    rationale: "Begrunnelse", "Rationale";
    rationale_hint: "Hva så og hørte dere som begrunner skåren?", "What did you see and hear that supports the score?";
    data_sources: "Datakilder:", "Data sources:";
    recommendation: "Anbefaling", "Recommendation";
    recommendation_hint: "Hva kan tjenesten gjøre for å nå neste nivå?", "What can the service do to reach the next level?";
    summary: "Oppsummering", "Summary";
    total: "Total", "Total";
    items_left: "Punkter igjen", "Items left";
    all_items_scored: "Alle punkter er skåret", "All items scored";
    change_since_previous: "Endring siden forrige", "Change since previous";
    sections: "Delsummer", "Sections";
    to_next_band: "Til", "To reach";
    points_missing: "poeng mangler", "points missing";
    closest_items: "Nærmest neste nivå:", "Closest to their next level:";
    more_elements: "element(er) til", "more element(s)";
    next_level_description: "se beskrivelsen av neste nivå", "see the next level's description";
    best_band_reached: "Høyeste kvalitetsnivå er nådd.", "The highest band is reached.";
    agreement: "Enighet", "Agreement";
    exact_agreement: "Helt enige", "Exact agreement";
    within_one: "Innen ett poeng", "Within one point";
    weighted_kappa: "Vektet kappa", "Weighted kappa";
    large_differences: "Forskjeller på 2 eller mer", "Differences of 2 or more";

    consensus_needs_two: "Konsensus krever to evaluatorer. Legg dem til under Skåring («Legg til evaluator»), og la hver skåre uavhengig.", "A consensus needs two reviewers. Add them under Scoring (\"Add reviewer\") and let each score independently.";
    consensus_hidden: "Skårene vises når begge evaluatorene er ferdige:", "The scores are shown when both reviewers are done:";
    done: "ferdig", "done";
    not_done: "ikke ferdig", "not done";
    reveal_anyway: "Vis skårene likevel", "Show the scores anyway";
    copy_agreed: "Overfør like skårer", "Take over equal scores";
    copy_agreed_hint: "Der begge har gitt samme skår og konsensus mangler, brukes den skåren", "Where both gave the same score and no consensus is set, use that score";
    consensus_order_note: "Forskjeller på 2 poeng eller mer står først.", "Differences of 2 points or more come first.";
    item: "Punkt", "Item";
    difference: "Forskjell", "Difference";

    new_action: "Nytt tiltak", "New action";
    draft_from_recommendations: "Lag utkast fra anbefalinger", "Draft from recommendations";
    draft_hint: "Lager tiltak fra anbefalingene til punkter med skår 3 eller lavere som ikke har tiltak", "Creates actions from the recommendations of items scored 3 or lower that have none";
    no_actions: "Ingen tiltak ennå.", "No actions yet.";
    action: "Tiltak", "Action";
    action_what: "Hva skal gjøres", "What is to be done";
    no_item: "(ikke knyttet til et punkt)", "(not linked to an item)";
    remove_action: "Fjern tiltak", "Remove action";
    owner: "Ansvarlig", "Owner";
    deadline: "Frist", "Deadline";
    status: "Status", "Status";
    previous_open_actions: "Åpne tiltak fra forrige handlingsplan", "Open actions from the previous plan";
    carry_over: "Overfør", "Carry over";

    trend_total: "Total over tid", "Total over time";
    trend_sections: "Delsummer over tid (eksterne evalueringer)", "Section subtotals over time (independent reviews)";
    heat_map: "Punkter og evalueringer", "Items and reviews";
    heat_map_hint: "Fargen viser skåren; tallet i parentes er endringen fra forrige evaluering. (E) = egenvurdering.", "The colour shows the score; the number in brackets is the change since the previous review. (E) = self-assessment.";
    all_reviews: "Alle evalueringer", "All reviews";
    review_on: "Evaluering", "Review";
    points: "Poeng", "Points";
    max_short: "maks", "max";
}
