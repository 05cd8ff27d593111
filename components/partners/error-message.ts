interface ProcedureError {
  message: string;
  data?: {
    inputIssues?: {
      formErrors: string[];
      fieldErrors: Record<string, string[] | undefined>;
    } | null;
  } | null;
}

/** The first input problem by field when the input was refused, else the error's own message. */
export function errorMessage(error: ProcedureError): string {
  const issues = error.data?.inputIssues;
  if (issues) {
    for (const [field, messages] of Object.entries(issues.fieldErrors)) {
      if (messages?.[0]) return `${field}: ${messages[0]}`;
    }
    if (issues.formErrors[0]) return issues.formErrors[0];
  }

  return error.message;
}
