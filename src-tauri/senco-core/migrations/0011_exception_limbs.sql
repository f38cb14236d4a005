-- The exceptions to the EHC needs assessment's time limits are now told apart by their limb
-- of reg 10(4) (and reg 5(4)): a school's closure (a) and an early years provider's (b) are
-- separate, and "the pupil was absent" is no longer offered, since the regulations give no
-- such exception. Requests recorded before said `schoolClosed` for a closure; they now say
-- `schoolClosure`. The dates and the reason are kept as they were.
UPDATE ehc_request
   SET dates = replace(dates, '"kind":"schoolClosed"', '"kind":"schoolClosure"')
 WHERE dates LIKE '%"kind":"schoolClosed"%';
