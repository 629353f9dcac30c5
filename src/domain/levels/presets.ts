import type { LevelFlags, Scheme } from './scheme.ts';

// The two schemes a deployment can start from. An administrator edits a copy; these stay frozen.

const NO_FLAGS: LevelFlags = {
  registrationDrive: false,
  restrictedMovement: false,
  voluntaryRepatriation: false,
  mandatoryRepatriation: false,
  recommendedDeploymentBan: false,
};

/**
 * The Philippine four-level crisis alert system (Department of Foreign Affairs), which Haven generalises:
 * 1 Precautionary, 2 Restriction, 3 Voluntary repatriation, 4 Mandatory repatriation/evacuation.
 * Colours follow the yellow-orange-red-black sequence used to publish it.
 */
export const PHILIPPINE_CRISIS_ALERT_SCHEME: Scheme = deepFreeze({
  id: 'ph-crisis-alert',
  name: 'Philippine crisis alert levels',
  levels: [
    {
      number: 1,
      name: { en: 'Precautionary', fil: 'Pag-iingat' },
      colour: '#FFD400',
      description: {
        en: 'Signs of internal disturbance, instability or an external threat in the host country.',
        fil: 'May mga palatandaan ng kaguluhan sa loob ng bansa, kawalan ng katatagan, o banta mula sa labas.',
      },
      actions: {
        advisory: {
          en: "Stay alert and take precautions. Follow the news and the Embassy's advisories, avoid crowds and protests, keep your passport and documents ready, and make sure the Embassy has your current contact details.",
          fil: 'Maging alerto at mag-ingat. Subaybayan ang balita at ang mga abiso ng Embahada, iwasan ang matataong lugar at mga protesta, ihanda ang inyong pasaporte at mga dokumento, at tiyaking nasa Embahada ang inyong kasalukuyang contact details.',
        },
        flags: { ...NO_FLAGS, registrationDrive: true },
        checklist: [
          {
            id: 'registration-drive',
            title: 'Run a registration drive',
            description:
              'Register nationals in the jurisdiction and confirm where they live and how to reach them.',
          },
          {
            id: 'update-contact-lists',
            title: 'Update contact lists',
            description:
              'Community leaders, wardens, employers, recruitment agencies and partner organisations.',
          },
          {
            id: 'prepare-contingency-plan',
            title: 'Prepare or review the contingency plan',
            description: 'Assembly points, transport options, supplies and the crisis management team.',
          },
        ],
      },
    },
    {
      number: 2,
      name: { en: 'Restriction', fil: 'Paghihigpit' },
      colour: '#FF8C00',
      description: {
        en: 'Real threats to the life, security and property of nationals from internal disturbance, instability or an external threat.',
        fil: 'May tunay na banta sa buhay, seguridad at ari-arian ng mga mamamayan dahil sa kaguluhan sa loob ng bansa, kawalan ng katatagan, o banta mula sa labas.',
      },
      actions: {
        advisory: {
          en: 'Restrict your movements. Avoid non-essential travel and public places, stay in touch with the Embassy, and be ready to leave at short notice.',
          fil: 'Limitahan ang inyong paglabas. Iwasan ang hindi mahahalagang biyahe at mga pampublikong lugar, manatiling nakikipag-ugnayan sa Embahada, at maging handang umalis anumang oras.',
        },
        flags: { ...NO_FLAGS, registrationDrive: true, restrictedMovement: true },
        checklist: [
          {
            id: 'coordinate-with-employers',
            title: 'Coordinate with employers and recruitment agencies',
            description:
              'Agree on the safety of workers, their release if needed, and the return of passports they hold.',
          },
          {
            id: 'identify-assembly-points',
            title: 'Identify assembly points and shelters',
            description: 'Confirm capacity, access and a contact person for each.',
          },
          {
            id: 'prepare-evacuation-logistics',
            title: 'Prepare evacuation logistics',
            description: 'Line up transport, seats and supplies with partners.',
          },
          {
            id: 'assess-deployment-restriction',
            title: 'Assess restrictions on new deployment',
            description: 'Advise headquarters whether to suspend the deployment of newly hired workers.',
          },
        ],
      },
    },
    {
      number: 3,
      name: { en: 'Voluntary repatriation', fil: 'Boluntaryong Pagpapauwi' },
      colour: '#D7191C',
      description: {
        en: 'Violent disturbances or external aggression in a limited area.',
        fil: 'May marahas na kaguluhan o pananalakay mula sa labas sa isang limitadong lugar.',
      },
      actions: {
        advisory: {
          en: "You are encouraged to come home. Contact the Embassy to register for repatriation, at your employer's expense or the State's where the employer cannot pay. Stay away from affected areas until you leave.",
          fil: 'Hinihikayat kayong umuwi. Makipag-ugnayan sa Embahada upang magpatala para sa repatriation; sagot ito ng inyong employer, o ng pamahalaan kung hindi ito kayang sagutin ng employer. Lumayo sa mga apektadong lugar hanggang kayo ay makaalis.',
        },
        flags: {
          ...NO_FLAGS,
          registrationDrive: true,
          restrictedMovement: true,
          voluntaryRepatriation: true,
          recommendedDeploymentBan: true,
        },
        checklist: [
          {
            id: 'organise-voluntary-repatriation',
            title: 'Organise voluntary repatriation',
            description: "At the employer's expense, or the State's where the employer cannot pay.",
          },
          {
            id: 'issue-travel-documents',
            title: 'Issue emergency travel documents',
            description: 'For people whose passports are held by employers, lost or expired.',
          },
          {
            id: 'arrange-exit-clearances',
            title: 'Arrange exit clearances',
            description: 'Exit visas, overstay fines and employer releases, with the host authorities.',
          },
          {
            id: 'recommend-deployment-ban',
            title: 'Recommend a deployment ban',
            description:
              'Send headquarters a recommendation to stop deploying new workers to the host country.',
          },
        ],
      },
    },
    {
      number: 4,
      name: { en: 'Mandatory repatriation', fil: 'Sapilitang Pagpapauwi' },
      colour: '#000000',
      description: {
        en: 'Large-scale internal conflict or a full-blown external attack.',
        fil: 'Malawakang labanan sa loob ng bansa o ganap na pananalakay mula sa labas.',
      },
      actions: {
        advisory: {
          en: "Leave the country now. Repatriation is mandatory and at the State's expense. Contact the Embassy or go to the nearest assembly point, and bring your passport or any identity document you have.",
          fil: 'Umalis na ng bansa ngayon. Sapilitan ang pagpapauwi at sagot ito ng pamahalaan. Makipag-ugnayan sa Embahada o pumunta sa pinakamalapit na assembly point, at dalhin ang inyong pasaporte o anumang ID na mayroon kayo.',
        },
        flags: {
          ...NO_FLAGS,
          registrationDrive: true,
          restrictedMovement: true,
          mandatoryRepatriation: true,
          recommendedDeploymentBan: true,
        },
        checklist: [
          {
            id: 'run-mandatory-evacuation',
            title: 'Run the mandatory evacuation',
            description:
              "Transport legs, manifests and head counts, the most vulnerable first, at the State's expense.",
          },
          {
            id: 'account-for-everyone',
            title: 'Account for every registered national',
            description: 'Follow up everyone who has not answered, through wardens, employers and partners.',
          },
          {
            id: 'recommend-total-deployment-ban',
            title: 'Recommend a total deployment ban',
            description: 'No new or returning workers to the host country until the level is lowered.',
          },
          {
            id: 'hand-over-arrivals',
            title: 'Hand over arrivals',
            description: 'Reception, onward travel and reintegration support at home.',
          },
        ],
      },
    },
  ],
});

/** A generic four-level travel advisory: normal precautions, increased caution, reconsider travel, do not travel. */
export const TRAVEL_ADVISORY_SCHEME: Scheme = deepFreeze({
  id: 'travel-advisory',
  name: 'Travel advisory levels',
  levels: [
    {
      number: 1,
      name: { en: 'Exercise normal precautions', fr: 'Prendre les précautions habituelles' },
      colour: '#1E88E5',
      description: {
        en: 'Usual safety and security risks.',
        fr: 'Risques habituels pour la sûreté et la sécurité.',
      },
      actions: {
        advisory: {
          en: 'Take the usual safety precautions and register with the Embassy when you arrive.',
          fr: 'Prenez les précautions de sécurité habituelles et inscrivez-vous auprès de l’ambassade à votre arrivée.',
        },
        flags: NO_FLAGS,
        checklist: [
          {
            id: 'review-contingency-plan',
            title: 'Review the contingency plan',
            description: 'Once a year, or when the situation changes.',
          },
        ],
      },
    },
    {
      number: 2,
      name: { en: 'Exercise increased caution', fr: 'Faire preuve d’une prudence accrue' },
      colour: '#FDD835',
      description: {
        en: 'Heightened safety and security risks; conditions may change quickly.',
        fr: 'Risques accrus pour la sûreté et la sécurité ; la situation peut changer rapidement.',
      },
      actions: {
        advisory: {
          en: 'Be more vigilant, follow local news and the Embassy’s advice, and keep your contact details up to date with the Embassy.',
          fr: 'Soyez plus vigilant, suivez l’actualité locale et les conseils de l’ambassade, et tenez vos coordonnées à jour auprès de l’ambassade.',
        },
        flags: NO_FLAGS,
        checklist: [
          {
            id: 'remind-registration',
            title: 'Remind nationals to register',
            description: 'Through community groups, employers and social media.',
          },
          { id: 'update-contact-lists', title: 'Update contact lists' },
        ],
      },
    },
    {
      number: 3,
      name: { en: 'Reconsider travel', fr: 'Reconsidérer le voyage' },
      colour: '#FB8C00',
      description: {
        en: 'Serious risks to safety and security.',
        fr: 'Risques graves pour la sûreté et la sécurité.',
      },
      actions: {
        advisory: {
          en: 'Avoid travel to this country. If you are there, register with the Embassy, keep your documents ready and make a plan to leave.',
          fr: 'Évitez de vous rendre dans ce pays. Si vous y êtes, inscrivez-vous auprès de l’ambassade, gardez vos documents à portée de main et préparez votre départ.',
        },
        flags: { ...NO_FLAGS, registrationDrive: true },
        checklist: [
          { id: 'registration-drive', title: 'Run a registration drive' },
          {
            id: 'prepare-contingency-plan',
            title: 'Update the contingency plan',
            description: 'Assembly points, transport options and partners.',
          },
          { id: 'brief-wardens', title: 'Brief wardens and community leaders' },
        ],
      },
    },
    {
      number: 4,
      name: { en: 'Do not travel', fr: 'Ne pas voyager' },
      colour: '#E53935',
      description: {
        en: 'Greater likelihood of life-threatening risks.',
        fr: 'Risque élevé de menace pour la vie.',
      },
      actions: {
        advisory: {
          en: 'Do not travel to this country. If you are there, leave as soon as it is safe to do so and stay in touch with the Embassy.',
          fr: 'Ne vous rendez pas dans ce pays. Si vous y êtes, partez dès que vous pouvez le faire en sécurité et restez en contact avec l’ambassade.',
        },
        flags: {
          ...NO_FLAGS,
          registrationDrive: true,
          restrictedMovement: true,
          voluntaryRepatriation: true,
          recommendedDeploymentBan: true,
        },
        checklist: [
          { id: 'advise-departure', title: 'Advise nationals to leave while commercial options remain' },
          {
            id: 'prepare-assisted-departure',
            title: 'Prepare assisted departure',
            description:
              'For those who cannot leave on their own: transport, documents and the most vulnerable first.',
          },
          { id: 'recommend-deployment-ban', title: 'Recommend a deployment ban' },
        ],
      },
    },
  ],
});

/** The presets a deployment can choose from, by id. */
export const PRESET_SCHEMES: ReadonlyMap<string, Scheme> = new Map(
  [PHILIPPINE_CRISIS_ALERT_SCHEME, TRAVEL_ADVISORY_SCHEME].map((scheme) => [scheme.id, scheme]),
);

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null && !Object.isFrozen(inner)) deepFreeze(inner);
  }
  return Object.freeze(value);
}
