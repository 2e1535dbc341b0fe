"""Every report of the catalogue over a large agency on PostgreSQL, against the bare SQL of
its main aggregate, in the same run.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE bench_reports"
    .venv/bin/python bench/reports.py --database-url postgresql://postgres@127.0.0.1:5432/bench_reports --reset --forms 1000000

Loads (with ``INSERT ... SELECT generate_series``, as the tables' owner) one agency with
``--forms`` service forms: half the sessions direct services, in date order, (one client, an I&O and a
Needs Assessment form; one in ten an Employment or a RAP form instead of one of them), the rest
spread over job development (a third of them a Mentor/Tutor Match with one to three monthly
Update sessions), finance, language training (enrolment, attendance, exit with certificates) and
named group activities (a group form and three attendees, one absent); 5% of sessions
incomplete; 10% of forms Private; two years of dates; and a second agency with 2% as much. Then,
one statement per table, what staff record about them: a referral for one Needs Assessment in
five (partners and programs by need area, statuses by age) and a task for two referrals in
five, a settlement plan for a fifth of the clients (2 to 4 goals, some achieved), the matches and
updates of the mentor directory, and iCARE final files for every month but the last (items
accepted or rejected). Then, as a system job of the first agency (the agency admin's view),
times each report for the last full month of data (a month of about 1/24 of the forms):

- **report**: ``run_report()``: the one statement (GROUPING SETS for the totals, every
  measure) through the ORM session, the tenancy hook, and the result built into the table;
- **bare SQL**: the main aggregate alone: the same facts and measures grouped by the report's
  dimensions, with no totals (no GROUPING SETS), compiled to SQL text and run on a raw
  connection (no ORM, no tenancy hook: the agency is written into the SQL). A list (the contact
  and emergency-contact lists) also reads, in the same statement, the columns its listing reads
  of each client it counts (``listed()``): the report runs that second statement too.

Both are medians of ``--repeat`` runs after a warm-up, interleaved (load on the shared
machine falls on both alike). Each line also gives the report **in a transaction**: the same
``run_report()`` in a transaction already begun, as a page runs it, so without what every
transaction costs once (the pool's check-out and ping, ``BEGIN``, the row-level-security
settings, ``ROLLBACK``: four round trips, the fixed cost of the short reports), and the bare
SQL **planned** at every run (psycopg prepares a statement after its fifth run: the literal
bare SQL is then never planned again, while the report's statement, whose dates and agency are
parameters, is planned for them at each run: about 1 ms for the form grains' joins), and the
bare SQL **in its own transaction**, planned, as a page running only that statement would pay
for it (the pool's check-out and ping, ``BEGIN``, the plan, ``ROLLBACK``; not the
row-level-security settings): the report's ratio to it compares like with like. Prints one
line per report, the worst ratio and the reports with no rows in the range (there should be
none for November 2025). ``bench(url, size, repeat)`` is the entry point ``bench/run.py``
(``make bench``) calls (PostgreSQL only: the loader is ``generate_series`` SQL).
"""

import argparse
import gc
import os
import statistics
import sys
import time
from dataclasses import replace
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import flask_migrate
from sqlalchemy import select, text

from app import create_app
from bench.result import Result
from extensions import db
from models import (
    Client,
    Declaration,
    EmergencyContact,
    FormYesAnswer,
    IcareUpload,
    IcareUploadItem,
    PlanGoal,
    Referral,
    ServiceForm,
    ServiceSession,
    SessionClient,
    SettlementPlan,
    Task,
    tenant_scope,
)
from models.first_services import refresh_all
from models.icare_templates import profile_template, service_templates, templates
from models.referrals import need_areas
from reports import REPORTS, Criteria, run_report
from reports.catalogue import CONTACT_COLUMNS, contact_listing, emergency_listing
from reports.dimensions import client_label
from reports.query import filtered, grain_name, indicator_statement, report_viewer, stored_indicators
from service_forms.catalogue import FORMS as FORMS_CATALOGUE
from service_forms.catalogue import attendance_fields

OWN_TABLES = {
    "plan": (SettlementPlan,),
    "goal_achieved": (SettlementPlan, PlanGoal),
    "referral": (Referral,),
    "referral_follow_up": (Referral,),
    "task": (Task,),
    "icare_item": (IcareUploadItem, IcareUpload),
}
QUESTION = 1  # the bench agency's question on I&O forms (Agency-question answers groups by it)
NEEDS = (  # need area, the bench agency's partner for it and its services, a plan goal for it
    ("food_cloth_material_needs_ind", "Community Food Bank", "Food hampers, clothing bank", "Register with the food bank"),
    ("housing_accommodation_needs_ind", "Maple Housing Help", "Housing search, tenant rights", "Find a two-bedroom flat"),
    ("legal_info_services_needs_ind", "East End Legal Clinic", "Free legal information", "Legal advice on the lease"),
    ("hlth_mental_wellness_needs_ind", "Newcomer Health Centre", "Primary care, mental health", "Find a family doctor"),
    ("find_employment_needs_ind", "Regional Employment Hub", "Job search, resumes", "Part-time work in retail"),
    ("language_skills_needs_ind", "Language Assessment Centre", "CLB assessment, LINC", "Start LINC classes"),
    ("financial_needs_ind", "Credit Counselling Society", "Budgeting, bank accounts", "Open a bank account"),
    ("family_support_needs_ind", "Family Services Network", "Parenting, child care", "Register the children in school"),
    ("social_networks_needs_ind", "Neighbourhood House", "Drop-ins, volunteering", "Join a community group"),
    ("edu_skills_devt_needs_ind", "Adult Learning Centre", "Credential assessment, upgrading", "Have credentials assessed"),
)
OTHER_PARTNERS = ("Other City Food Bank", "Other City Housing Office")  # the other agency's, for the first two needs
REJECTIONS = (  # iCARE's Processing Details of a rejected record
    "Language of service: value not in the list",
    "Client validation ID: no client found with this identifier",
    "Start date: the date is in the future",
    "Postal code: not a valid postal code",
    "Duplicate record: already submitted",
)
MENTORS = ("Nadia Haddad", "Louis Tremblay", "Mei Chen", "Daniel Kim", "Grace Okafor", "Priya Raman", "Omar Farouk")
MENTORS += ("Ana Souza", "Tomas Novak", "Lina Park", "Ravi Menon", "Sofia Rossi", "Hana Sato", "Marc Gagnon")

SEED = """
INSERT INTO agencies (id, name, code, privacy_statement_en, privacy_statement_fr, privacy_statement_version,
  two_step_for_admins, version, created_at, updated_at)
VALUES (1, 'Bench agency', 'BENCH', '', '', 1, false, 1, now(), now()),
       (2, 'Other agency', 'OTHERB', '', '', 1, false, 1, now(), now());
INSERT INTO sites (id, agency_id, name, kind, address, city, postal_code, is_active, version, created_at, updated_at)
SELECT g, CASE WHEN g <= 5 THEN 1 ELSE 2 END, 'Site ' || g, 'non_school', '', '', '', true, 1, now(), now()
FROM generate_series(1, 6) g;
INSERT INTO programs (id, agency_id, name, description, is_active, version, created_at, updated_at)
SELECT g, CASE WHEN g <= 3 THEN 1 ELSE 2 END, 'Program ' || g, '', true, 1, now(), now() FROM generate_series(1, 4) g;
INSERT INTO funders (id, agency_id, name, code, version, created_at, updated_at)
SELECT g, 1, 'Funder ' || g, 'F' || g, 1, now(), now() FROM generate_series(1, 2) g;
INSERT INTO staff (id, agency_id, email, first_name, last_name, title, phone, role, is_active, password_hash,
  session_token, version, created_at, updated_at)
SELECT g, CASE WHEN g <= 20 THEN 1 ELSE 2 END, 'staff' || g || '@bench.org', 'Staff', 'Member ' || g, '', '',
  CASE WHEN g = 1 THEN 'agency_admin' ELSE 'worker' END, true, 'x', md5(g::text), 1, now(), now()
FROM generate_series(1, 21) g;
INSERT INTO group_activity_names (id, agency_id, name, is_active, version)
SELECT g, CASE WHEN g <= 6 THEN 1 ELSE 2 END, (ARRAY['Welcome to Canada', 'Conversation circle', 'Job search club',
  'Parenting in Canada', 'Tax clinic', 'Tenant rights', 'Newcomer coffee hour', 'Library tour'])[g], true, 1
FROM generate_series(1, 8) g;
INSERT INTO agency_questions (id, agency_id, target, label, answer_type, choices, is_required, position, is_active,
  version, created_at, updated_at)
SELECT g, g, 'io', 'First visit to a settlement agency?', 'yesno', '[]', false, 1, true, 1, now(), now()
FROM generate_series(1, 2) g;
INSERT INTO referral_partners (id, agency_id, name, kind, services, need_areas, contact_name, phone, email, address,
  languages, eligibility_notes, is_active, version, created_at, updated_at)
SELECT n, CASE WHEN n <= 10 THEN 1 ELSE 2 END, name, 'external', services, json_build_array(need), '',
  '416-555-01' || lpad(n::text, 2, '0'), '', n || ' Main Street', 'English, French', '', true, 1, now(), now()
FROM unnest(CAST(:partners AS text[]), CAST(:services AS text[]), CAST(:partner_needs AS text[]))
  WITH ORDINALITY AS p(name, services, need, n);
INSERT INTO mentors (id, agency_id, name, kind, staff_id, email, phone, skills, languages, availability, areas,
  screened_on, screening_expires_on, is_active, notes, version, created_at, updated_at)
SELECT g, CASE WHEN g <= 12 THEN 1 ELSE 2 END, (CAST(:mentors AS text[]))[g], CASE WHEN g = 10 THEN 'staff' ELSE 'volunteer' END,
  CASE WHEN g = 10 THEN 5 END, 'mentor' || g || '@bench.org', '',
  (ARRAY['accounting, job interviews', 'French tutoring', 'IT, coding', 'nursing, credential recognition'])[1 + g % 4],
  '["English"]', (ARRAY['["weekday_evenings"]', '["weekends", "online"]', '["weekday_days"]'])[1 + g % 3]::json, '',
  date '2023-06-01', CASE WHEN g = 12 THEN date '2024-01-31' ELSE date '2027-06-01' END, g <> 11, '', 1, now(), now()
FROM generate_series(1, 14) g;
INSERT INTO clients (id, agency_id, kind, first_name, last_name, date_of_birth, gender, immigration_status,
  country_of_birth, first_language, arrival_year, postal_code, family_code, other_languages, registration_date,
  is_archived, search_text, answers, needs_profile, version, created_at, updated_at)
SELECT g, CASE WHEN g % 50 = 0 THEN 2 ELSE 1 END, CASE WHEN a.anonymous THEN 'anonymous' ELSE 'named' END,
  CASE WHEN a.anonymous THEN NULL ELSE 'First' || g END, CASE WHEN a.anonymous THEN NULL ELSE 'Last' || g END,
  CASE WHEN a.anonymous THEN NULL ELSE date '1950-01-01' + (g::bigint * 7919 % 25000)::int END,
  (ARRAY['Female', 'Male', 'Another gender'])[1 + g % 3],
  (ARRAY['Permanent resident', 'Refugee', 'Citizen', 'Temporary resident'])[1 + g % 4],
  (ARRAY['Syria', 'India', 'Philippines', 'China', 'Ukraine', 'Nigeria'])[1 + g % 6],
  (ARRAY['Arabic', 'Hindi', 'Tagalog', 'Mandarin', 'Ukrainian', 'English'])[1 + g % 6],
  2010 + g % 15, 'M' || (g % 9) || 'V 1A1', CASE WHEN g % 4 = 0 THEN 'FAM' || (g / 4) END, '[]',
  date '2023-01-01', false, '', '{}', false, 1, now(), now()
FROM generate_series(1, :clients) g
CROSS JOIN LATERAL (SELECT g % 10 = 0 AND g % 100 <> 50 AS anonymous) a;
INSERT INTO service_sessions (id, agency_id, session_type, service_date, site_id, program_id, delivery_method,
  at_point_of_entry, interpreter_present, interpreters, hours, minutes, languages, lead_staff_id, created_by_id,
  group_activity_id, version, created_at, updated_at)
SELECT g, a.agency,
  CASE WHEN a.t < 5 THEN 'direct' WHEN a.t = 5 THEN 'job_development' WHEN a.t = 6 THEN 'finance'
       WHEN a.t = 7 THEN 'language_training' WHEN a.t = 8 THEN 'io_group' ELSE 'cc_group' END,
  date '2024-01-01' + (g::bigint * 730 / :sessions)::int, CASE WHEN a.agency = 2 THEN 6 ELSE 1 + g % 5 END,
  CASE WHEN g % 4 = 0 THEN NULL WHEN a.agency = 2 THEN 4 ELSE 1 + g % 3 END,
  (ARRAY['In Person', 'Phone', 'Email', 'Online'])[1 + g % 4], g % 17 = 0, g % 13 = 0,
  CASE WHEN g % 13 = 0 THEN 1 ELSE 0 END, g % 2, 15 + (g % 3) * 15,
  (CASE WHEN g % 5 = 0 THEN '["English", "French"]' ELSE '["English"]' END)::json,
  CASE WHEN a.agency = 2 THEN 21 ELSE 2 + g % 19 END, CASE WHEN a.agency = 2 THEN 21 ELSE 2 + g % 19 END,
  CASE WHEN a.t < 8 THEN NULL WHEN a.agency = 2 THEN 7 + g / 50 % 2 ELSE 1 + g / 10 % 6 END, 1, now(), now()
FROM generate_series(1, :sessions) g
CROSS JOIN LATERAL (SELECT CASE WHEN g % 50 = 0 THEN 2 ELSE 1 END AS agency,
  CASE WHEN g % 50 = 0 THEN g / 50 ELSE g END % 10 AS t) a;
INSERT INTO service_sessions (id, agency_id, session_type, service_date, site_id, program_id, delivery_method,
  at_point_of_entry, interpreter_present, interpreters, hours, minutes, languages, lead_staff_id, created_by_id,
  version, created_at, updated_at)
SELECT :sessions + 4 * m.id + k, m.agency_id, 'job_development', m.service_date + 28 * k, m.site_id, m.program_id,
  m.delivery_method, false, false, 0, 1, 0, m.languages, m.lead_staff_id, m.created_by_id, 1, now(), now()
FROM service_sessions m CROSS JOIN generate_series(1, 1 + m.id / 3 % 3) k
WHERE m.session_type = 'job_development' AND m.id % 3 = 0;
INSERT INTO session_funders (session_id, funder_id)
SELECT id, 1 + id % 2 FROM service_sessions WHERE agency_id = 1 AND id % 3 > 0;
INSERT INTO session_clients (agency_id, session_id, client_id)
SELECT s.agency_id, s.id, CASE
  WHEN s.agency_id = 2 THEN 50 * (1 + (s.id / 50 + k) % (:clients / 50))
  WHEN ((s.id * 7 + k * 104729) % :clients) % 50 = 49 THEN ((s.id * 7 + k * 104729) % :clients)
  ELSE ((s.id * 7 + k * 104729) % :clients) + 1 END
FROM service_sessions s
CROSS JOIN LATERAL generate_series(0, CASE WHEN s.session_type IN ('io_group', 'cc_group') THEN 2 ELSE 0 END) k
WHERE s.id <= :sessions
ON CONFLICT DO NOTHING;
INSERT INTO session_clients (agency_id, session_id, client_id)
SELECT s.agency_id, s.id, m.client_id FROM service_sessions s
JOIN session_clients m ON m.session_id = (s.id - :sessions) / 4 WHERE s.id > :sessions;
"""
# A mentor match session (a job development session with id % 3 = 0) holds a Mentor/Tutor Match
# form; its 1 to 3 update sessions, four weeks apart, have ids :sessions + 4 * match + k, and
# the last one gives the match its status. MATCH_STATUS is that status for match id m.
MATCH_STATUS = "(ARRAY['Ongoing', 'Completed', 'Completed', 'Ended early'])[1 + {m} / 9 % 4]"
FORMS = """
ANALYZE;
INSERT INTO service_forms (agency_id, session_id, client_id, kind, program_id, is_private, author_id, data,
  is_complete, version, created_at, updated_at)
SELECT sc.agency_id, sc.session_id, sc.client_id, k.kind, s.program_id, sc.id % 10 = 0, s.lead_staff_id,
  json_strip_nulls(json_build_object('topic_overview_given_ind', CASE WHEN sc.id % 3 = 0 THEN 'Yes' ELSE 'No' END,
    'knwl_life_needs_ind', CASE WHEN sc.id % 4 = 0 THEN 'Yes' ELSE 'No' END,
    'childminding_ind', CASE WHEN sc.id % 5 = 0 THEN 'Yes' ELSE 'No' END,
    'client_attended', CASE WHEN k.n = 2 THEN 'No' ELSE 'Yes' END, 'attended', CASE WHEN sc.id % 6 = 0 THEN 'No' ELSE 'Yes' END,
    'training_status_id', (ARRAY['Completed the course', 'Exited the course before completing',
      'Has advanced to the next CLB level'])[1 + sc.id % 3],
    'intervention_received_id', (ARRAY['Mentoring', 'Work placement', 'Preparation for licensure/certification'])[
      1 + abs(hashint4(sc.id)) % 4],
    'target_group_specific_ind', CASE WHEN k.kind = 'io' THEN CASE WHEN sc.id % 4 = 1 THEN 'Yes' ELSE 'No' END END,
    'target_group_refugee_ind', CASE WHEN k.kind = 'io' AND sc.id % 8 = 1 THEN 'Yes' END,
    'target_group_families_parents_ind', CASE WHEN k.kind = 'io' AND sc.id % 8 = 5 THEN 'Yes' END,
    'placement_type_id', (ARRAY['Paid', 'Unpaid', 'Paid'])[1 + sc.id % 3],
    'certificate_issued_ind', CASE WHEN k.kind = 'lt_exit' THEN CASE WHEN sc.id % 5 < 3 THEN 'Yes' ELSE 'No' END END,
    'certificate_listening_level_id', CASE WHEN k.kind = 'lt_exit' AND sc.id % 5 < 3 THEN (4 + sc.id / 5 % 5)::text END,
    'certificate_speaking_level_id', CASE WHEN k.kind = 'lt_exit' AND sc.id % 5 < 3 THEN (4 + sc.id / 25 % 5)::text END,
    'start_dt', CASE WHEN k.kind IN ('rap', 'mentor_match', 'mentor_update') THEN s.service_date::text END,
    'arrival_dt', CASE WHEN k.kind = 'rap' THEN (s.service_date - 20)::text END,
    'port_of_entry_reception', CASE WHEN k.kind = 'rap' THEN CASE WHEN sc.id % 3 = 0 THEN 'Yes' ELSE 'No' END END,
    'temporary_housing', CASE WHEN k.kind = 'rap' THEN CASE WHEN sc.id % 2 = 0 THEN 'Yes' ELSE 'No' END END,
    'permanent_housing', CASE WHEN k.kind = 'rap' THEN CASE WHEN sc.id % 4 = 1 THEN 'Yes' ELSE 'No' END END,
    'household_items', CASE WHEN k.kind = 'rap' THEN CASE WHEN sc.id % 3 = 1 THEN 'Yes' ELSE 'No' END END,
    'orientation', CASE WHEN k.kind = 'rap' THEN CASE WHEN sc.id % 5 > 0 THEN 'Yes' ELSE 'No' END END,
    'income_support_linked', CASE WHEN k.kind = 'rap' THEN CASE WHEN sc.id % 2 = 1 THEN 'Yes' ELSE 'No' END END,
    'mentor_id', CASE WHEN k.kind = 'mentor_match' THEN
      (CASE WHEN sc.agency_id = 1 THEN 1 + abs(hashint4(sc.id)) % 10 ELSE 13 + sc.id % 2 END)::text END,
    'match_start_dt', CASE WHEN k.kind = 'mentor_match' THEN s.service_date::text END,
    'mentoring_hours_id', CASE WHEN k.kind = 'mentor_match' THEN
      (ARRAY['1', '2', '2', '3', '4', '6'])[1 + abs(hashint4(sc.id)) / 10 % 6] END,
    'match_id', CASE WHEN k.kind = 'mentor_update' THEN ((s.id - :sessions) / 4)::text END,
    'meetings', CASE WHEN k.kind = 'mentor_update' THEN (1 + s.id % 4)::text END,
    'match_status', CASE WHEN k.kind = 'mentor_update' THEN CASE
      WHEN (s.id - :sessions) % 4 = 1 + (s.id - :sessions) / 4 / 3 % 3 THEN @LAST_STATUS@ ELSE 'Ongoing' END END,
    'q' || sc.agency_id, CASE WHEN k.kind = 'io' THEN CASE WHEN sc.id % 3 = 1 THEN 'Yes' ELSE 'No' END END)),
  CASE WHEN s.agency_id = 2 THEN s.id / 50 ELSE s.id END % 20 <> 0, 1, now(), now()
FROM (SELECT sc.*, row_number() OVER (PARTITION BY sc.session_id ORDER BY sc.id) AS n FROM session_clients sc) sc
JOIN service_sessions s ON s.id = sc.session_id
CROSS JOIN LATERAL (
  SELECT kind, sc.n AS n FROM unnest(CASE s.session_type
    WHEN 'direct' THEN CASE WHEN s.id % 20 = 3 THEN ARRAY['needs_assessment', 'employment']
      WHEN s.id % 20 = 13 THEN ARRAY['io', 'rap'] ELSE ARRAY['io', 'needs_assessment'] END
    WHEN 'job_development' THEN CASE WHEN s.id > :sessions THEN ARRAY['mentor_update']
      WHEN s.id % 3 = 0 THEN ARRAY['mentor_match', 'jd_update'] ELSE ARRAY['job_placement', 'jd_update'] END
    WHEN 'finance' THEN ARRAY['finance'] WHEN 'language_training' THEN ARRAY['lt_enrolment', 'lt_attendance', 'lt_exit']
    WHEN 'io_group' THEN ARRAY['io_attendee'] ELSE ARRAY['cc_attendee'] END) kind
) k;
INSERT INTO service_forms (agency_id, session_id, client_id, kind, program_id, is_private, author_id, data,
  is_complete, version, created_at, updated_at)
SELECT s.agency_id, s.id, NULL, s.session_type, s.program_id, false, s.lead_staff_id,
  json_build_object('topic', (ARRAY['Housing', 'Health', 'Taxes', 'Jobs'])[1 + s.id % 4], 'participants', '3'),
  true, 1, now(), now()
FROM service_sessions s WHERE s.session_type IN ('io_group', 'cc_group');
""".replace("@LAST_STATUS@", MATCH_STATUS.format(m="((s.id - :sessions) / 4)"))

# After the stored completeness and first services (``refresh_all``): what staff record about
# the clients served. Dates follow the service they come from; the data ends on 2025-12-30, so
# what was made in its last three weeks is still open.
RECORDS = """
ANALYZE;
INSERT INTO referrals (client_id, referring_staff_id, partner_id, to_program_id, need_area, referral_date, status,
  follow_up_date, outcome, notes, program_id, is_private, service_form_id, session_id, version, agency_id,
  created_at, updated_at)
SELECT f.client_id, s.lead_staff_id, CASE WHEN r.internal THEN NULL WHEN f.agency_id = 1 THEN 1 + r.need ELSE 11 + r.need END,
  CASE WHEN r.internal THEN 1 + r.h % 3 END, (CAST(:needs AS text[]))[1 + r.need], s.service_date, r.status,
  CASE WHEN r.h % 10 <> 9 THEN s.service_date + 14 END,
  CASE r.status WHEN 'attended' THEN 'Attended the first appointment.' WHEN 'closed' THEN 'Need met.'
    WHEN 'declined' THEN 'Chose a service nearer home.' WHEN 'no_show' THEN 'Did not come to the appointment.' ELSE '' END,
  '', s.program_id, f.is_private, f.id, s.id, 1, f.agency_id, s.service_date + time '10:00',
  s.service_date + CASE WHEN r.status IN ('made', 'accepted') THEN 0 ELSE 14 END + time '16:00'
FROM service_forms f
JOIN service_sessions s ON s.id = f.session_id
JOIN clients c ON c.id = f.client_id AND c.kind = 'named'
CROSS JOIN generate_series(0, CASE WHEN f.id % 25 = 0 THEN 1 ELSE 0 END) k
CROSS JOIN LATERAL (SELECT f.id / 5 + 7 * k AS h) h
CROSS JOIN LATERAL (SELECT h.h, CASE WHEN f.agency_id = 1 THEN h.h % 10 ELSE h.h % 2 END AS need,
  f.agency_id = 1 AND h.h % 5 = 4 AS internal,
  CASE WHEN s.service_date > date '2025-12-09' THEN (ARRAY['made', 'accepted'])[1 + h.h % 2]
    ELSE (ARRAY['attended', 'attended', 'attended', 'closed', 'closed', 'accepted', 'made', 'declined', 'no_show',
      'attended'])[1 + h.h / 10 % 10] END AS status) r
WHERE f.kind = 'needs_assessment' AND f.id % 5 = 0;
INSERT INTO tasks (title, details, assignee_kind, assigned_to_id, created_by_id, client_id, referral_id, session_id,
  due_date, priority, status, done_date, version, agency_id, created_at, updated_at)
SELECT CASE WHEN t.for_client THEN 'Bring your documents to the appointment' ELSE 'Follow up the referral' END, '',
  CASE WHEN t.for_client THEN 'client' ELSE 'staff' END, CASE WHEN NOT t.for_client THEN r.referring_staff_id END,
  r.referring_staff_id, r.client_id, r.id, r.session_id, t.due, (ARRAY['normal', 'normal', 'high', 'low'])[1 + r.id % 4],
  t.status, CASE WHEN t.status = 'done' THEN t.due - r.id % 3 END, 1, r.agency_id, r.created_at,
  CASE WHEN t.status IN ('open', 'in_progress') THEN r.created_at ELSE t.due + time '12:00' END
FROM referrals r
CROSS JOIN LATERAL (SELECT r.id % 15 = 1 AS for_client, COALESCE(r.follow_up_date, r.referral_date + 7) AS due,
  CASE WHEN r.referral_date > date '2025-12-09' THEN 'open'
    ELSE (ARRAY['done', 'done', 'done', 'done', 'done', 'done', 'cancelled', 'open', 'in_progress', 'done'])[1 + r.id / 5 % 10]
  END AS status) t
WHERE r.id % 5 < 2;
INSERT INTO settlement_plans (client_id, worker_id, created_by_id, status, start_date, closed_date, summary,
  shared_date, shared_how, next_follow_up_date, next_review_date, version, agency_id, created_at, updated_at)
SELECT p.client_id, p.worker, p.worker, CASE WHEN p.closed THEN 'closed' ELSE 'active' END, p.start,
  CASE WHEN p.closed THEN p.start + 180 + p.client_id % 90 END, '',
  CASE WHEN p.client_id % 2 = 0 THEN p.start + 2 END,
  CASE WHEN p.client_id % 2 = 0 THEN (ARRAY['in_person', 'email'])[1 + p.client_id / 2 % 2] END,
  CASE WHEN NOT p.closed THEN p.start + 30 END, CASE WHEN NOT p.closed THEN p.start + 90 END, 1, p.agency_id,
  p.start + time '11:00', p.start + CASE WHEN p.closed THEN 180 + p.client_id % 90 ELSE 2 END + time '11:00'
FROM (
  SELECT DISTINCT ON (f.client_id) f.client_id, f.agency_id, s.lead_staff_id AS worker, s.service_date AS start,
    s.service_date < date '2025-04-01' AND f.client_id % 3 > 0 AS closed
  FROM service_forms f JOIN service_sessions s ON s.id = f.session_id JOIN clients c ON c.id = f.client_id
  WHERE f.kind = 'needs_assessment' AND c.kind = 'named' AND (f.client_id % 5 = 2 OR f.client_id % 200 = 50)
  ORDER BY f.client_id, hashint4(f.id)
) p;
INSERT INTO plan_goals (plan_id, need_area, description, responsible, responsible_staff_id, partner_id, target_date,
  status, achieved_date, progress_notes, version, agency_id, created_at, updated_at)
SELECT p.id, (CAST(:needs AS text[]))[1 + g.need], (CAST(:goals AS text[]))[1 + g.need], g.responsible,
  CASE WHEN g.responsible = 'staff' THEN p.worker_id END,
  CASE WHEN g.responsible = 'partner' THEN CASE WHEN p.agency_id = 1 THEN 1 + g.need ELSE 11 + g.need % 2 END END,
  p.start_date + 90, g.status, CASE WHEN g.status = 'achieved' THEN g.achieved END, '', 1, p.agency_id, p.created_at,
  CASE WHEN g.status = 'achieved' THEN g.achieved ELSE p.start_date END + time '11:00'
FROM settlement_plans p
CROSS JOIN generate_series(1, 2 + p.id % 3) k
CROSS JOIN LATERAL (SELECT (p.id + 3 * k) % 10 AS need, p.start_date + 20 + (p.id * 7 + k * 13) % 150 AS achieved,
  CASE (p.id + k) % 5 WHEN 0 THEN 'staff' WHEN 1 THEN 'partner' ELSE 'client' END AS responsible,
  (ARRAY['achieved', 'achieved', 'achieved', 'in_progress', 'in_progress', 'not_started', 'discontinued'])[1 + (p.id * 3 + k) % 7]
    AS status) g;
INSERT INTO mentor_matches (id, mentor_id, client_id, form_id, started_on, status, agency_id, created_at, updated_at)
SELECT f.session_id, (f.data ->> 'mentor_id')::int, f.client_id, f.id, s.service_date, @STATUS@, f.agency_id,
  s.service_date + time '10:00', s.service_date + 28 * (1 + f.session_id / 3 % 3) + time '10:00'
FROM service_forms f JOIN service_sessions s ON s.id = f.session_id WHERE f.kind = 'mentor_match';
INSERT INTO mentor_updates (match_id, form_id, updated_on, agency_id)
SELECT (f.session_id - :sessions) / 4, f.id, s.service_date, f.agency_id
FROM service_forms f JOIN service_sessions s ON s.id = f.session_id WHERE f.kind = 'mentor_update';
""".replace("@STATUS@", MATCH_STATUS.format(m="f.session_id"))

# The iCARE final files of every month before the data's last (December 2025): one per agency,
# month and template, holding the month's eligible records (``models/icare_records``: complete
# forms of named clients who attended; the Client Profile row of each client in the month of their
# first record), one in 25 rejected with one of iCARE's messages, the rest accepted. One in ten of
# November's records came in after its files were made: pending, with the rejected ones.
ICARE = """
CREATE TEMP TABLE bench_icare_records ON COMMIT DROP AS
SELECT f.id AS form_id, f.agency_id, f.client_id, to_char(s.service_date, 'YYYY-MM') AS month, t.sheet
FROM service_forms f
JOIN unnest(CAST(:icare_kinds AS text[]), CAST(:icare_sheets AS text[])) AS t(kind, sheet) ON t.kind = f.kind
JOIN service_sessions s ON s.id = f.session_id
JOIN clients c ON c.id = f.client_id AND c.kind = 'named'
WHERE f.is_complete AND s.is_counted AND s.service_date < date '2025-12-01'
  AND NOT (s.service_date >= date '2025-11-01' AND f.id % 10 = 7)
  AND NOT EXISTS (SELECT FROM service_forms o WHERE o.session_id = f.session_id AND o.client_id = f.client_id
    AND o.kind = ANY(CAST(:attendance_kinds AS text[])) AND (@ABSENT@));
INSERT INTO bench_icare_records (form_id, agency_id, client_id, month, sheet)
SELECT NULL, agency_id, client_id, min(month), :profile_sheet FROM bench_icare_records GROUP BY agency_id, client_id;
INSERT INTO icare_uploads (agency_id, month, sheet, created_by_id, created_at, record_count, left_out, checksum,
  filename, content, returned_at)
SELECT u.agency_id, u.month, u.sheet, CASE WHEN u.agency_id = 1 THEN 1 ELSE 21 END, u.made, u.records, '{}',
  encode(sha256(u.content), 'hex'),
  'iCARE_' || CASE WHEN u.agency_id = 1 THEN 'BENCH' ELSE 'OTHERB' END || '_' || u.month || '_' || t.slug || '.xlsx',
  u.content, u.made + interval '5 days'
FROM (
  SELECT agency_id, month, sheet, count(*) AS records, to_date(month, 'YYYY-MM') + interval '1 month 9 days 10 hours' AS made,
    convert_to('iCARE final file (benchmark data): ' || sheet || ', ' || month, 'UTF8') AS content
  FROM bench_icare_records GROUP BY agency_id, month, sheet
) u
JOIN unnest(CAST(:icare_sheet_names AS text[]), CAST(:icare_slugs AS text[])) AS t(sheet, slug) ON t.sheet = u.sheet;
INSERT INTO icare_upload_items (agency_id, upload_id, row_number, form_id, profile_client_id, attempt, status, message,
  icare_record_id)
SELECT r.agency_id, u.id, 3 + row_number() OVER (PARTITION BY u.id ORDER BY r.form_id, r.client_id), r.form_id,
  CASE WHEN r.form_id IS NULL THEN r.client_id END, 1, v.status,
  CASE WHEN v.status = 'accepted' THEN 'Record processed successfully. RID: ' || v.rid
    ELSE (CAST(:rejections AS text[]))[1 + v.h / 25 % cardinality(CAST(:rejections AS text[]))] END,
  CASE WHEN v.status = 'accepted' THEN v.rid END
FROM bench_icare_records r
JOIN icare_uploads u ON u.agency_id = r.agency_id AND u.month = r.month AND u.sheet = r.sheet
CROSS JOIN LATERAL (SELECT COALESCE(r.form_id, r.client_id) AS h) h
CROSS JOIN LATERAL (SELECT h.h, CASE WHEN h.h % 25 = 3 THEN 'rejected' ELSE 'accepted' END AS status,
  'R' || lpad(h.h::text, 9, '0') AS rid) v;
"""
TABLES = ("agencies", "sites", "programs", "funders", "staff", "group_activity_names", "agency_questions")
TABLES += ("referral_partners", "mentors", "clients", "service_sessions", "session_clients", "service_forms", "referrals")
TABLES += ("tasks", "settlement_plans", "plan_goals", "mentor_matches", "mentor_updates", "icare_uploads", "icare_upload_items")


def load_params(sessions):
    """The bind parameters of the load: sizes, and the lists the rows take their values from."""
    codes = {area.code for area in need_areas()}
    assert all(need in codes for need, *_ in NEEDS), "a need area the Needs Assessment no longer has"
    kinds = [(kind, t.sheet) for t in service_templates() if not t.is_course for kind in t.kinds]
    return {
        "clients": max(1000, sessions // 4),
        "sessions": sessions,
        "needs": [n[0] for n in NEEDS],
        "goals": [n[3] for n in NEEDS],
        "partners": [n[1] for n in NEEDS] + list(OTHER_PARTNERS),
        "services": [n[2] for n in NEEDS] + [n[2] for n in NEEDS[: len(OTHER_PARTNERS)]],
        "partner_needs": [n[0] for n in NEEDS] + [n[0] for n in NEEDS[: len(OTHER_PARTNERS)]],
        "mentors": list(MENTORS),
        "rejections": list(REJECTIONS),
        "icare_kinds": [k for k, _ in kinds],
        "icare_sheets": [s for _, s in kinds],
        "icare_sheet_names": [t.sheet for t in templates()],
        "icare_slugs": [t.slug for t in templates()],
        "profile_sheet": profile_template().sheet,
        "attendance_kinds": [kind for kind, spec in FORMS_CATALOGUE.items() if spec.attendance_field],
    }


def statements(sql):
    absent = " OR ".join(f"o.data ->> '{name}' = 'No'" for name in attendance_fields())  # as ix_reports_absent_attendees
    return [s.replace("@ABSENT@", absent) for s in sql.split(";\n") if s.strip()]


def run(connection, sql, params):
    """Each statement of ``sql`` with the parameters it names, timed."""
    for statement in statements(sql):
        step = time.perf_counter()
        connection.execute(text(statement), {k: v for k, v in params.items() if f":{k}" in statement})
        words = statement.split()
        name = words[3] if words[0] == "CREATE" else words[2] if words[0] == "INSERT" else words[0]
        print(f"  {name}: {time.perf_counter() - step:.1f} s", flush=True)


def load(app, forms):
    """Sessions sized so that the forms come to about ``forms`` (2.4 forms per session), in date
    order (as a live database fills up: one month's sessions sit together on disk); then the
    referrals, tasks, plans, mentor matches and iCARE files recorded about them."""
    sessions = int(forms / 2.4)
    with app.app_context(), db.engine.begin() as connection:
        params = load_params(sessions)
        started = time.perf_counter()
        run(connection, SEED + FORMS, params)
        count = connection.scalar(text("SELECT count(*) FROM service_forms"))
        print(f"loaded {count:,} service forms in {time.perf_counter() - started:.0f} s")
        step = time.perf_counter()
        refresh_all(connection)  # bulk rows: the backfill, as the migration does it
        print(f"  completeness and first services: {time.perf_counter() - step:.1f} s", flush=True)
        step = time.perf_counter()
        run(connection, RECORDS + ICARE, params)
        for table in TABLES:
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
        print(f"loaded {counts(connection)} in {time.perf_counter() - step:.0f} s")
    with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
        # Short reports over indexed rows gain nothing from JIT compilation (it cost ~0.2 s a
        # statement here): off for the database, for the reports and the bare SQL alike.
        connection.execute(text(f"ALTER DATABASE {connection.engine.url.database} SET jit = off"))


def counts(connection):
    tables = ("referrals", "tasks", "settlement_plans", "plan_goals", "mentor_matches", "mentor_updates", "icare_upload_items")
    found = dict(connection.execute(text(" UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in tables))).all())
    return ", ".join(f"{found[t]:,} {t}" for t in tables)


def bare_statement(report, criteria):
    """The main aggregate: the report's measures grouped by its dimensions, with no totals (no
    GROUPING SETS), the agency said in the SQL itself as the tenancy hook does for the report.
    An indicator report counting the stored Yes answers: its one grouped statement."""
    if stored_indicators(report):
        return indicator_statement(report, criteria, report_viewer(), [m.agency_id == 1 for m in agency_tables(report)])
    dims = [d.expr(criteria).label(f"d{i}") for i, d in enumerate(report.dimensions)]
    inputs = [fact().label(f"m{i}_{j}") for i, m in enumerate(report.measures) for j, fact in enumerate(m.facts)]
    query = filtered(report, criteria, report_viewer(), dims + inputs)
    sub = query.where(*(model.agency_id == 1 for model in agency_tables(report))).subquery("facts")
    aggregates = [m.agg(*(sub.c[f"m{i}_{j}"] for j in range(len(m.facts)))).label(m.key) for i, m in enumerate(report.measures)]
    groups = [sub.c[f"d{i}"] for i in range(len(dims))]
    return listed(report, select(*groups, *aggregates).group_by(*groups) if groups else select(*aggregates).select_from(sub))


def listed(report, aggregate):
    """A list's bare SQL: its aggregate and, for each client it counts, the columns its listing
    reads, in one statement (the aggregate joined to the clients and, for the emergency-contact
    list, to their contacts), as the report runs its aggregate and then its listing statement.
    Writing the rows as the page shows them (an address put together, contacts joined) is the
    report's own work, so it stays on the report's side."""
    if report.listing is None:
        return aggregate
    counted = aggregate.subquery("counted")
    query = select(counted, client_label()).join(Client, Client.id == counted.c.d0).where(Client.agency_id == 1)
    if report.listing is contact_listing:
        return query.add_columns(*(getattr(Client, name) for name in CONTACT_COLUMNS))
    if report.listing is emergency_listing:
        contact = EmergencyContact
        joined = (contact.client_id == Client.id) & (contact.agency_id == 1)
        query = query.outerjoin(contact, joined).add_columns(contact.name, contact.relationship, contact.phone)
        return query.order_by(contact.id)
    raise ValueError(f"no bare SQL for the listing of {report.key}")


def agency_tables(report):
    """The agency-owned tables the facts read through inner joins."""
    grain = grain_name(report)
    if grain in OWN_TABLES:
        return OWN_TABLES[grain]
    if grain == "attendance":
        return (ServiceSession, SessionClient, Client)
    if grain == "form":
        return (ServiceSession, ServiceForm, FormYesAnswer) if stored_indicators(report) else (ServiceSession, ServiceForm)
    return (ServiceSession,)


def criteria_for(report, criteria):
    """Agency-question answers is asked about the bench agency's question (as its page requires)."""
    if any(d.key == "question_answer" for d in report.dimensions):
        return replace(criteria, question=QUESTION)
    return criteria


def compiled(statement):
    return str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))


def timed(run):
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def measure(app, criteria, repeat, only):
    rows = []
    with app.test_request_context(), tenant_scope(1, Declaration.of("benchmark")):
        for key, report in REPORTS.items():
            if only and key not in only:
                continue
            asked = criteria_for(report, criteria)
            bare = compiled(bare_statement(report, asked))
            with db.engine.connect() as raw:
                run_bare = lambda sql=bare, raw=raw: raw.exec_driver_sql(sql).all()  # noqa: E731 - the statement as it is
                run_full = lambda report=report, asked=asked: (run_report(report, asked), db.session.rollback())  # noqa: E731
                run_open = lambda report=report, asked=asked: run_report(report, asked)  # noqa: E731 - a transaction begun
                run_planned = lambda sql=bare, raw=raw: planned(raw, sql)  # noqa: E731
                run_own = lambda sql=bare: in_own_transaction(sql)  # noqa: E731
                empty = run_report(report, asked).is_empty  # the warm-up
                db.session.rollback(), run_bare(), run_own()
                runs = [(timed, run_full), (timed, run_bare), (in_transaction, run_open), (timed, run_planned), (timed, run_own)]
                times = [[clock(run) for clock, run in runs] for _ in range(repeat)]
            full, base, open_, planned_base, own = (statistics.median(t[i] for t in times) for i in range(5))
            rows.append((key, full, base, full / base if base else 0, empty))
            print(
                f"{key:28} report {full:8.1f} ms   bare SQL {base:8.1f} ms   x{full / base if base else 0:5.2f}   "
                f"in a transaction {open_:8.1f} ms x{open_ / base if base else 0:5.2f}   "
                f"bare SQL planned {planned_base:6.1f} ms   "
                f"in its own transaction {own:6.1f} ms (report x{full / own if own else 0:5.2f})",
                flush=True,
            )
    return rows


def in_transaction(run):
    """``run`` in a transaction already begun (as a page's report runs, after the request has
    loaded its user): without the connection's check-out and ping, ``BEGIN``, the
    row-level-security settings and the ``ROLLBACK`` that every transaction costs once."""
    db.session.execute(select(1))
    try:
        return timed(run)
    finally:
        db.session.rollback()


def in_own_transaction(sql):
    """The bare SQL as a page would run it alone: a transaction of its own on a pooled
    connection (the check-out and ping, ``BEGIN``, ``ROLLBACK``; not the row-level-security
    settings, which are ours), planned at this run as the report's is."""
    with db.engine.connect() as connection:
        planned(connection, sql)


def planned(raw, sql):
    """The bare SQL planned at every run, as the report's statement is (its dates and agency
    are parameters): psycopg prepares a statement run five times, so the literal bare SQL is
    otherwise planned once and never again."""
    cursor = raw.connection.dbapi_connection.cursor()
    cursor.execute(sql, prepare=False)
    cursor.fetchall()


def loaded_app(url, reset, forms):
    """The app on its database, migrated and loaded with ``forms`` (unless loaded already)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    if reset:
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    with app.app_context():
        flask_migrate.upgrade()
        with tenant_scope(1), db.engine.connect() as connection:
            loaded = connection.scalar(text("SELECT count(*) FROM agencies"))
    if not loaded:
        load(app, forms)
    return app


def bench(url, size, repeat):
    """``make bench``: about ``size`` forms in a new database (``url`` is reset); every report
    for November 2025 against its bare SQL."""
    app = loaded_app(url, True, size)
    gc.freeze()  # as a gunicorn worker does once it has loaded the app (gunicorn.conf.py)
    rows = measure(app, Criteria(date(2025, 11, 1), date(2025, 11, 30)), repeat, set())
    return [Result("reports", key, full, base) for key, full, base, _ratio, _empty in rows]


def history_served_before(criteria):
    """New/Returning's "served before the range" as it was before the stored first services: a
    search of the client's earlier complete, attended services (for the before/after figures)."""
    from sqlalchemy.orm import aliased

    from models.completeness import attended_clause, is_complete_clause

    earlier, attendee = aliased(ServiceSession), aliased(SessionClient)
    query = (
        select(attendee.id)
        .join(earlier, earlier.id == attendee.session_id)
        .where(attendee.client_id == Client.id, earlier.service_date < criteria.date_from)
        .where(is_complete_clause(earlier), attended_clause(attendee))
    )
    if criteria.program:
        query = query.where(earlier.program_id.in_(criteria.program))
    return query.exists()


def measure_history(app, criteria, repeat):
    """``new_returning`` with the history search, the same run and data as the stored dates."""
    import reports.catalogue as catalogue

    stored = catalogue.served_before
    catalogue.served_before = history_served_before
    try:
        return measure(app, criteria, repeat, {"new_returning"})
    finally:
        catalogue.served_before = stored


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--reset", action="store_true", help="drop schema public first (a scratch database only)")
    parser.add_argument("--forms", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--from", dest="date_from", default="2025-11-01")
    parser.add_argument("--to", dest="date_to", default="2025-11-30")
    parser.add_argument("--only", nargs="*", help="report keys to time (default: all)")
    parser.add_argument("--history", action="store_true", help="also time new_returning with the history search it replaced")
    args = parser.parse_args()
    app = loaded_app(args.database_url, args.reset, args.forms)
    gc.freeze()  # as a gunicorn worker does once it has loaded the app (gunicorn.conf.py)
    criteria = Criteria(date.fromisoformat(args.date_from), date.fromisoformat(args.date_to))
    rows = measure(app, criteria, args.repeat, set(args.only or ()))
    if args.history:
        print("new_returning with the history search (before the stored first services):")
        measure_history(app, criteria, args.repeat)
    worst = max(rows, key=lambda r: r[3])
    slowest = max(rows, key=lambda r: r[1])
    print(f"\n{len(rows)} reports; worst ratio {worst[3]:.2f} ({worst[0]}); slowest {slowest[1]:.0f} ms ({slowest[0]})")
    empty = [r[0] for r in rows if r[4]]
    print(f"no rows in the range: {', '.join(empty)}" if empty else "every report has rows in the range")


if __name__ == "__main__":
    main()
