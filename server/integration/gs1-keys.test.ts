import { describe, expect, it } from 'vitest';

import { checkDigit, glnOf, gtin14, gtinOfEpc, isSscc } from './gs1-keys';

describe('GS1 keys', () => {
  it('computes the mod-10 check digit', () => {
    expect(checkDigit('1061414107346')).toBe('4');
    expect(checkDigit('061414107346')).toBe('7');
    expect(checkDigit('0000000000000')).toBe('0');
  });

  it('brings GTIN-8/12/13/14 to GTIN-14 and refuses other lengths', () => {
    expect(gtin14('999999310145')).toBe('00999999310145');
    expect(gtin14('10071179009894')).toBe('10071179009894');
    expect(gtin14('12345')).toBeNull();
    expect(gtin14('DEC0199')).toBeNull();
  });

  it('reads the GTIN of SGTINs, LGTIN classes, patterns and Digital Link URIs', () => {
    // GS1's own example: urn:epc:id:sgtin:0614141.107346.2017 is GTIN 10614141073464.
    expect(gtinOfEpc('urn:epc:id:sgtin:0614141.107346.2017')).toBe('10614141073464');
    expect(gtinOfEpc('urn:epc:class:lgtin:4012345.012345.998877')).toBe('04012345123456');
    expect(gtinOfEpc('urn:epc:idpat:sgtin:4012345.098765.*')).toBe('04012345987652');
    expect(gtinOfEpc('https://id.gs1.org/01/09520123456788/21/12345')).toBe('09520123456788');
    expect(gtinOfEpc('urn:epc:id:sscc:0614141.1234567890')).toBeNull();
  });

  it('reads the GLN of an SGLN and of a Digital Link location', () => {
    // The party GLN of the EPCIS example's bizTransaction urn:epcglobal:cbv:bt:0614141073467:1152.
    expect(glnOf('urn:epc:id:sgln:0614141.07346.1234')).toBe('0614141073467');
    expect(glnOf('https://id.gs1.org/414/4012345000009/254/7')).toBe('4012345000009');
    expect(glnOf('DC-17')).toBeNull();
  });

  it('knows an SSCC, one handling unit', () => {
    expect(isSscc('urn:epc:id:sscc:0614141.1234567890')).toBe(true);
    expect(isSscc('https://id.gs1.org/00/106141412345678908')).toBe(true);
    expect(isSscc('urn:epc:id:sgtin:0614141.107346.2017')).toBe(false);
  });
});
