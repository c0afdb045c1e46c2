// DICOM PS3.15 Annex E, Table E.1-1: the Basic Application Level Confidentiality Profile. Each row is the
// attribute and the profile's action for it (the "Basic Prof." column, not the options):
//   D  replace with a non-zero-length dummy value     Z  replace with a zero-length or dummy value
//   X  remove                                         K  keep
//   C  clean (replace identifying text, keep meaning) U  replace UIDs with consistent new ones
//   and combinations such as X/Z/D, whose choice depends on the attribute's Type in the IOD (X/Z/U* applies U
//   to the UIDs inside a sequence). Airlock only FLAGS these attributes so a steward can see what identifies a
//   person; removing them is a later, audited step.
// Rows are the 2013 edition's table plus attributes added since (instance creation, trial, calendar, UDI, RT
// labels, acquisition/pyramid UIDs). Beyond the table: every private attribute (odd group) is flagged X, as
// the profile removes private attributes unless the Retain Safe Private option is used, and so are retired
// curve groups (50xx) and overlay data and comments (60xx,3000 / 60xx,4000), which can carry burned names.

export type AnnexEAction = string;

// 'GGGGEEEE Action Keyword', two per line to keep the table short.
const ROWS = [
  '00001000 X AffectedSOPInstanceUID', '00001001 U RequestedSOPInstanceUID',
  '00020003 U MediaStorageSOPInstanceUID', '00041511 U ReferencedSOPInstanceUIDInFile',
  '00080012 X/D InstanceCreationDate', '00080013 X/Z/D InstanceCreationTime',
  '00080014 U InstanceCreatorUID', '00080017 U AcquisitionUID',
  '00080018 U SOPInstanceUID', '00080019 U PyramidUID',
  '00080020 Z StudyDate', '00080021 X/D SeriesDate',
  '00080022 X/Z AcquisitionDate', '00080023 Z/D ContentDate',
  '00080024 X OverlayDate', '00080025 X CurveDate',
  '0008002A X/Z/D AcquisitionDateTime', '00080030 Z StudyTime',
  '00080031 X/D SeriesTime', '00080032 X/Z AcquisitionTime',
  '00080033 Z/D ContentTime', '00080034 X OverlayTime',
  '00080035 X CurveTime', '00080050 Z AccessionNumber',
  '00080055 X/Z/D StationAETitle', '00080058 U FailedSOPInstanceUIDList',
  '00080080 X/Z/D InstitutionName', '00080081 X InstitutionAddress',
  '00080082 X/Z/D InstitutionCodeSequence', '00080090 Z ReferringPhysicianName',
  '00080092 X ReferringPhysicianAddress', '00080094 X ReferringPhysicianTelephoneNumbers',
  '00080096 X ReferringPhysicianIdentificationSequence', '0008010D U ContextGroupExtensionCreatorUID',
  '00080201 X TimezoneOffsetFromUTC', '00081010 X/Z/D StationName',
  '00081030 X StudyDescription', '0008103E X SeriesDescription',
  '00081040 X InstitutionalDepartmentName', '00081041 X InstitutionalDepartmentTypeCodeSequence',
  '00081048 X PhysiciansOfRecord', '00081049 X PhysiciansOfRecordIdentificationSequence',
  '00081050 X PerformingPhysicianName', '00081052 X PerformingPhysicianIdentificationSequence',
  '00081060 X NameOfPhysiciansReadingStudy', '00081062 X PhysiciansReadingStudyIdentificationSequence',
  '00081070 X/Z/D OperatorsName', '00081072 X/D OperatorIdentificationSequence',
  '00081080 X AdmittingDiagnosesDescription', '00081084 X AdmittingDiagnosesCodeSequence',
  '00081110 X/Z ReferencedStudySequence', '00081111 X/Z/D ReferencedPerformedProcedureStepSequence',
  '00081120 X ReferencedPatientSequence', '00081140 X/Z/U* ReferencedImageSequence',
  '00081155 U ReferencedSOPInstanceUID', '00081195 U TransactionUID',
  '00082111 X DerivationDescription', '00083010 U IrradiationEventUID',
  '00084000 X IdentifyingComments', '00089123 U CreatorVersionUID',
  '00100010 Z PatientName', '00100020 Z PatientID',
  '00100021 X IssuerOfPatientID', '00100030 Z PatientBirthDate',
  '00100032 X PatientBirthTime', '00100033 X PatientBirthDateInAlternativeCalendar',
  '00100034 X PatientDeathDateInAlternativeCalendar', '00100035 X PatientAlternativeCalendar',
  '00100040 Z PatientSex', '00100050 X PatientInsurancePlanCodeSequence',
  '00100101 X PatientPrimaryLanguageCodeSequence', '00100102 X PatientPrimaryLanguageModifierCodeSequence',
  '00101000 X OtherPatientIDs', '00101001 X OtherPatientNames',
  '00101002 X OtherPatientIDsSequence', '00101005 X PatientBirthName',
  '00101010 X PatientAge', '00101020 X PatientSize',
  '00101030 X PatientWeight', '00101040 X PatientAddress',
  '00101050 X InsurancePlanIdentification', '00101060 X PatientMotherBirthName',
  '00101080 X MilitaryRank', '00101081 X BranchOfService',
  '00101090 X MedicalRecordLocator', '00102000 X MedicalAlerts',
  '00102110 X Allergies', '00102150 X CountryOfResidence',
  '00102152 X RegionOfResidence', '00102154 X PatientTelephoneNumbers',
  '00102155 X PatientTelecomInformation', '00102160 X EthnicGroup',
  '00102180 X Occupation', '001021A0 X SmokingStatus',
  '001021B0 X AdditionalPatientHistory', '001021C0 X PregnancyStatus',
  '001021D0 X LastMenstrualDate', '001021F0 X PatientReligiousPreference',
  '00102203 X/Z PatientSexNeutered', '00102297 X ResponsiblePerson',
  '00102299 X ResponsibleOrganization', '00104000 X PatientComments',
  '00120010 D ClinicalTrialSponsorName', '00120020 D ClinicalTrialProtocolID',
  '00120021 Z ClinicalTrialProtocolName', '00120030 Z ClinicalTrialSiteID',
  '00120031 Z ClinicalTrialSiteName', '00120040 D ClinicalTrialSubjectID',
  '00120042 D ClinicalTrialSubjectReadingID', '00120050 Z ClinicalTrialTimePointID',
  '00120051 Z ClinicalTrialTimePointDescription', '00120060 Z ClinicalTrialCoordinatingCenterName',
  '00120071 X ClinicalTrialSeriesID', '00120072 X ClinicalTrialSeriesDescription',
  '00120081 D ClinicalTrialProtocolEthicsCommitteeName', '00120082 Z ClinicalTrialProtocolEthicsCommitteeApprovalNumber',
  '00180010 Z/D ContrastBolusAgent', '00180012 X ContrastBolusAgentSequence',
  '00180014 X ContrastBolusAdministrationRouteSequence', '00181000 X/Z/D DeviceSerialNumber',
  '00181002 U DeviceUID', '00181004 X PlateID',
  '00181005 X GeneratorID', '00181007 X CassetteID',
  '00181008 X GantryID', '00181009 X UniqueDeviceIdentifier',
  '0018100A X UDISequence', '00181012 X DateOfSecondaryCapture',
  '00181014 X TimeOfSecondaryCapture', '00181030 X/D ProtocolName',
  '00181200 X DateOfLastCalibration', '00181201 X TimeOfLastCalibration',
  '00181202 X DateTimeOfLastCalibration', '00181400 X/D AcquisitionDeviceProcessingDescription',
  '00184000 X AcquisitionComments', '0018700A X/D DetectorID',
  '00189424 X AcquisitionProtocolDescription', '00189516 X/D StartAcquisitionDateTime',
  '00189517 X/D EndAcquisitionDateTime', '0018A003 X ContributionDescription',
  '0020000D U StudyInstanceUID', '0020000E U SeriesInstanceUID',
  '00200010 Z StudyID', '00200052 U FrameOfReferenceUID',
  '00200200 U SynchronizationFrameOfReferenceUID', '00203401 X ModifyingDeviceID',
  '00203404 X ModifyingDeviceManufacturer', '00203406 X ModifiedImageDescription',
  '00204000 X ImageComments', '00209158 X FrameComments',
  '00209161 U ConcatenationUID', '00209164 U DimensionOrganizationUID',
  '00281199 U PaletteColorLookupTableUID', '00281214 U LargePaletteColorLookupTableUID',
  '00284000 X ImagePresentationComments', '00320012 X StudyIDIssuer',
  '00321020 X ScheduledStudyLocation', '00321021 X ScheduledStudyLocationAETitle',
  '00321030 X ReasonForStudy', '00321031 X RequestingPhysicianIdentificationSequence',
  '00321032 X RequestingPhysician', '00321033 X RequestingService',
  '00321034 X RequestingServiceCodeSequence', '00321060 X/Z RequestedProcedureDescription',
  '00321070 X RequestedContrastAgent', '00324000 X StudyComments',
  '00380004 X ReferencedPatientAliasSequence', '00380010 X AdmissionID',
  '00380011 X IssuerOfAdmissionID', '0038001E X ScheduledPatientInstitutionResidence',
  '00380020 X AdmittingDate', '00380021 X AdmittingTime',
  '00380040 X DischargeDiagnosisDescription', '00380050 X SpecialNeeds',
  '00380060 X ServiceEpisodeID', '00380061 X IssuerOfServiceEpisodeID',
  '00380062 X ServiceEpisodeDescription', '00380300 X CurrentPatientLocation',
  '00380400 X PatientInstitutionResidence', '00380500 X PatientState',
  '00384000 X VisitComments', '00400001 X ScheduledStationAETitle',
  '00400002 X ScheduledProcedureStepStartDate', '00400003 X ScheduledProcedureStepStartTime',
  '00400004 X ScheduledProcedureStepEndDate', '00400005 X ScheduledProcedureStepEndTime',
  '00400006 X ScheduledPerformingPhysicianName', '00400007 X ScheduledProcedureStepDescription',
  '00400009 X ScheduledProcedureStepID', '0040000B X ScheduledPerformingPhysicianIdentificationSequence',
  '00400010 X ScheduledStationName', '00400011 X ScheduledProcedureStepLocation',
  '00400012 X PreMedication', '00400241 X PerformedStationAETitle',
  '00400242 X PerformedStationName', '00400243 X PerformedLocation',
  '00400244 X PerformedProcedureStepStartDate', '00400245 X PerformedProcedureStepStartTime',
  '00400250 X PerformedProcedureStepEndDate', '00400251 X PerformedProcedureStepEndTime',
  '00400253 X PerformedProcedureStepID', '00400254 X PerformedProcedureStepDescription',
  '00400275 X RequestAttributesSequence', '00400280 X CommentsOnThePerformedProcedureStep',
  '00400555 X/Z AcquisitionContextSequence', '00401001 X RequestedProcedureID',
  '00401004 X PatientTransportArrangements', '00401005 X RequestedProcedureLocation',
  '00401010 X NamesOfIntendedRecipientsOfResults', '00401011 X IntendedRecipientsOfResultsIdentificationSequence',
  '00401101 D PersonIdentificationCodeSequence', '00401102 X PersonAddress',
  '00401103 X PersonTelephoneNumbers', '00401400 X RequestedProcedureComments',
  '00402001 X ReasonForTheImagingServiceRequest', '00402008 X OrderEnteredBy',
  '00402009 X OrderEntererLocation', '00402010 X OrderCallbackPhoneNumber',
  '00402016 Z PlacerOrderNumberImagingServiceRequest', '00402017 Z FillerOrderNumberImagingServiceRequest',
  '00402400 X ImagingServiceRequestComments', '00403001 X ConfidentialityConstraintOnPatientDataDescription',
  '00404023 U ReferencedGeneralPurposeScheduledProcedureStepTransactionUID', '00404025 X ScheduledStationNameCodeSequence',
  '00404027 X ScheduledStationGeographicLocationCodeSequence', '00404028 X PerformedStationNameCodeSequence',
  '00404030 X PerformedStationGeographicLocationCodeSequence', '00404034 X ScheduledHumanPerformersSequence',
  '00404035 X ActualHumanPerformersSequence', '00404036 X HumanPerformerOrganization',
  '00404037 X HumanPerformerName', '0040A027 X VerifyingOrganization',
  '0040A030 D VerificationDateTime', '0040A032 X/D ObservationDateTime',
  '0040A073 D VerifyingObserverSequence', '0040A075 D VerifyingObserverName',
  '0040A078 X AuthorObserverSequence', '0040A07A X ParticipantSequence',
  '0040A07C X CustodialOrganizationSequence', '0040A088 Z VerifyingObserverIdentificationCodeSequence',
  '0040A120 X DateTime', '0040A121 X Date',
  '0040A122 X Time', '0040A123 D PersonName',
  '0040A124 U UID', '0040A171 U ObservationUID',
  '0040A353 X AddressTrial', '0040A730 X ContentSequence',
  '0040DB0C U TemplateExtensionOrganizationUID', '0040DB0D U TemplateExtensionCreatorUID',
  '00700001 D GraphicAnnotationSequence', '00700084 Z ContentCreatorName',
  '00700086 X ContentCreatorIdentificationCodeSequence', '0070031A U FiducialUID',
  '00880200 X IconImageSequence', '00880904 X TopicTitle',
  '00880906 X TopicSubject', '00880910 X TopicAuthor',
  '00880912 X TopicKeywords', '04000100 X DigitalSignatureUID',
  '04000402 X ReferencedDigitalSignatureSequence', '04000403 X ReferencedSOPInstanceMACSequence',
  '04000404 X MAC', '04000550 X ModifiedAttributesSequence',
  '04000561 X OriginalAttributesSequence', '20300020 X TextString',
  '30060002 D StructureSetLabel', '30060004 X StructureSetName',
  '30060006 X StructureSetDescription', '30060008 X StructureSetDate',
  '30060009 X StructureSetTime', '30060024 U ReferencedFrameOfReferenceUID',
  '300600C2 U RelatedFrameOfReferenceUID', '300A0002 D RTPlanLabel',
  '300A0003 X RTPlanName', '300A0004 X RTPlanDescription',
  '300A0006 X RTPlanDate', '300A0007 X RTPlanTime',
  '300A0013 U DoseReferenceUID', '300E0008 X/Z ReviewerName',
  '40000010 X Arbitrary', '40004000 X TextComments',
  '40080042 X ResultsIDIssuer', '40080102 X InterpretationRecorder',
  '4008010A X InterpretationTranscriber', '4008010B X InterpretationText',
  '4008010C X InterpretationAuthor', '40080111 X InterpretationApproverSequence',
  '40080114 X PhysicianApprovingInterpretation', '40080115 X InterpretationDiagnosisDescription',
  '40080118 X ResultsDistributionListSequence', '40080119 X DistributionName',
  '4008011A X DistributionAddress', '40080202 X InterpretationIDIssuer',
  '40080300 X Impressions', '40084000 X ResultsComments',
  'FFFAFFFA X DigitalSignaturesSequence', 'FFFCFFFC X DataSetTrailingPadding'
];

interface AnnexERow {
  keyword: string;
  action: AnnexEAction;
}

const TABLE = new Map<string, AnnexERow>(
  ROWS.map((row) => {
    const [tag = '', action = '', keyword = ''] = row.split(' ');
    return [tag, { action, keyword }];
  }),
);

/** Accepts '(0010,0010)', '00100010' or dicom-parser's 'x00100010'; returns 'GGGGEEEE' or null. */
export function normalizeTag(tag: string): string | null {
  const hex = tag.replace(/^x/i, '').replace(/[(),\s]/g, '').toUpperCase();
  return /^[0-9A-F]{8}$/.test(hex) ? hex : null;
}

/** The table row for a tag (keyword and basic-profile action), or a synthetic row for the group rules. */
export function annexEEntry(tag: string): AnnexERow | null {
  const t = normalizeTag(tag);
  if (t === null) return null;
  const row = TABLE.get(t);
  if (row) return row;
  const group = parseInt(t.slice(0, 4), 16);
  const element = t.slice(4);
  if (group % 2 === 1) return { keyword: 'PrivateAttribute', action: 'X' };
  // Repeating groups: curves 5000-501E; overlays 6000-601E (only their data and comments are identifying).
  if (group >= 0x5000 && group <= 0x501e) return { keyword: 'CurveData', action: 'X' };
  if (group >= 0x6000 && group <= 0x601e && element === '3000') return { keyword: 'OverlayData', action: 'X' };
  if (group >= 0x6000 && group <= 0x601e && element === '4000') return { keyword: 'OverlayComments', action: 'X' };
  return null;
}

/** The Annex E basic-profile action code for a tag ('Z', 'X/Z/D', 'U', ...), or null when it is not listed. */
export function annexEAction(tag: string): AnnexEAction | null {
  return annexEEntry(tag)?.action ?? null;
}

/** True when the profile says the attribute may identify a person, so it is shown flagged. */
export function isIdentifying(tag: string): boolean {
  return annexEAction(tag) !== null;
}
