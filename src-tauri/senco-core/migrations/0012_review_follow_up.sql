-- An annual review now follows the law past the meeting (docs/statutory-clock.md): the
-- notice of the meeting's date (reg 20(3)), the LA's decision within 4 weeks of the meeting
-- (reg 20(10)), proposed amendments with the family's 15 days (reg 22(2)(c)) and the amended
-- plan within 8 weeks of them (reg 22(3)). A row that a school's report started runs from
-- that review's meeting, so the LA's follow-up to it is tracked on that row.
ALTER TABLE annual_review ADD COLUMN after_meeting INTEGER NOT NULL DEFAULT 0 CHECK (after_meeting IN (0, 1));
ALTER TABLE annual_review ADD COLUMN notice_sent TEXT;
ALTER TABLE annual_review ADD COLUMN la_decision TEXT;
ALTER TABLE annual_review ADD COLUMN la_outcome TEXT CHECK (la_outcome IN ('keep', 'amend', 'cease'));
ALTER TABLE annual_review ADD COLUMN amendments_sent TEXT;
ALTER TABLE annual_review ADD COLUMN amended_plan TEXT;
UPDATE annual_review SET after_meeting = 1
 WHERE EXISTS (SELECT 1 FROM annual_review earlier WHERE earlier.pupil_id = annual_review.pupil_id AND earlier.id < annual_review.id);
